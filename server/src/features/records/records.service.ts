import { assertCanReadPatientChart, assertCanTreatPatient, type Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordChartRead } from '../../audit/chart-reads';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { conflict, forbidden, isUniqueViolation, mapDatabaseError, notFound } from '../../platform/errors';
import type { CareRelationships } from '../care/care-relationships';
import { isUuid } from '../../platform/validation';
import { validateMedicalRecord, validateRecordsSize, type MedicalRecordRequest } from './records.rules';
import { insertRecord } from './records.sql';
import type { MedicalRecord } from './records.type';

const RECORD_SELECT = {
  id: true,
  patientId: true,
  doctorId: true,
  diagnosis: true,
  notes: true,
  icd10Code: true,
  createdAt: true,
  supersedesId: true,
  supersededBy: { select: { id: true } },
} as const;

interface RecordRow {
  id: string;
  patientId: string;
  doctorId: string;
  diagnosis: string;
  notes: string | null;
  icd10Code: string | null;
  createdAt: Date;
  supersedesId: string | null;
  supersededBy: { id: string } | null;
}

function toMedicalRecord({ supersededBy, ...row }: RecordRow): MedicalRecord {
  return { ...row, supersededById: supersededBy?.id ?? null };
}

const ALREADY_CORRECTED = 'That record was already corrected: correct its latest version instead.';

/** Medical records: append-only diagnoses and notes, corrected by superseding. */
export class MedicalRecordService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly relationships: CareRelationships,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * A doctor who treats the patient now (features/care) adds a record. A correction names the record it
   * supersedes: a current version of this patient written by the same doctor. The unique
   * supersedes_id makes two racing corrections of one record end with one CONFLICT.
   */
  async addMedicalRecord(viewer: Viewer | undefined, patientId: string, request: MedicalRecordRequest): Promise<MedicalRecord> {
    const doctor = await assertCanTreatPatient(viewer, patientId, this.relationships, 'add medical records');
    const record = validateMedicalRecord(request);
    if (record.supersedesId !== null) {
      const earlier = isUuid(record.supersedesId)
        ? await this.prisma.medicalRecord.findUnique({ where: { id: record.supersedesId }, select: RECORD_SELECT })
        : null;
      if (!earlier || earlier.patientId !== patientId) throw notFound('Record to supersede');
      if (earlier.doctorId !== doctor.userId) throw forbidden('You can only correct records you wrote.');
      if (earlier.supersededBy) throw conflict(ALREADY_CORRECTED);
    }
    try {
      // The record and its audit row commit together.
      const created = await this.transactions.run(async (tx) => {
        const stored = await insertRecord(tx, { patientId, doctorId: doctor.userId, ...record, createdAt: this.clock() });
        await this.audit.write(tx, doctor, [
          { action: AuditAction.AddMedicalRecord, patientId, objectType: 'record', objectId: stored.id },
        ]);
        return stored;
      });
      return { ...created, supersededById: null };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(ALREADY_CORRECTED);
      throw mapDatabaseError(error) ?? error;
    }
  }

  /**
   * A patient's records, newest first: current versions only unless `includeSuperseded`. The
   * patient themself (every record), or a doctor who treats them now (features/care), who reads
   * the records written in their own practice only.
   */
  async patientMedicalRecords(
    viewer: Viewer | undefined,
    patientId: string,
    includeSuperseded: boolean,
    first: number,
  ): Promise<MedicalRecord[]> {
    const reader = await recordChartRead(this.audit, AuditAction.ReadMedicalRecords, viewer, patientId, () =>
      assertCanReadPatientChart(viewer, patientId, this.relationships),
    );
    const practiceId = viewer?.role === Role.DOCTOR ? await this.relationships.recordsPracticeOfDoctor(viewer.userId) : undefined;
    if (practiceId === null) return [];
    const rows = await this.prisma.medicalRecord.findMany({
      where: { patientId, ...(includeSuperseded ? {} : { supersededBy: null }), ...(practiceId ? { doctor: { practiceId } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: validateRecordsSize(first),
      select: RECORD_SELECT,
    });
    await reader.recorded('record');
    return rows.map(toMedicalRecord);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly records: MedicalRecordService;
  }
}
