import { assertCanActForDoctor, requireViewer, type CareRelationships, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { recordDisclosures } from '../../audit/disclosures';
import { Role } from '../../generated/prisma/enums';
import { isUuid } from '../../platform/validation';
import { decodeListCursor, encodeListCursor } from '../../live/cursors';
import { badUserInput, notFound } from '../../platform/errors';
import type { Prisma } from '../../generated/prisma/client';
import type { PrismaReader } from '../../platform/database';
import type { Patient, PatientConnection } from './patients.type';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PatientRow {
  id: string;
  dateOfBirth: Date | null;
  user: { name: string };
}

export const PATIENT_SELECT = { id: true, dateOfBirth: true, user: { select: { name: true } } } as const;

/** What a patient list may be narrowed to (FHIR Patient search): part of the name, and the date of birth (YYYY-MM-DD); both when both. */
export interface PatientFilter {
  readonly name?: string;
  readonly birthDate?: string;
}

/** The patients a PatientFilter matches (the name case-insensitively); every patient without one. */
export function patientFilter(filter: PatientFilter = {}): Prisma.PatientWhereInput {
  return {
    ...(filter.name === undefined ? {} : { user: { name: { contains: filter.name, mode: 'insensitive' as const } } }),
    ...(filter.birthDate === undefined ? {} : { dateOfBirth: new Date(`${filter.birthDate}T00:00:00Z`) }),
  };
}

export function toPatient(row: PatientRow): Patient {
  return { id: row.id, name: row.user.name, dateOfBirth: row.dateOfBirth };
}

/**
 * Who may read one patient by id besides the patient: a doctor who treats them now
 * (features/care), and the desk of a practice that has them on its list (features/practices, which
 * owns that list). Passed in by the composition root: those modules import this one.
 */
export interface PatientReaders {
  readonly care: CareRelationships;
  deskHasPatient(viewer: Viewer, patientId: string): Promise<boolean>;
}

/** Patients: a doctor's list, one patient by id, and patients by id (batched for loaders). */
export class PatientService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly audit: AuditTrail,
    private readonly readers?: PatientReaders,
  ) {}

  /**
   * One patient (name, date of birth): the patient themself, a doctor who treats them now, or the
   * desk of a practice that has them on its list. Anyone else gets NOT_FOUND, the same answer as
   * for an unknown id, so it tells nothing about who is a patient. A read by someone else is
   * audited (`patients.list`, as the lists that show the same fields) before it is returned.
   */
  async readPatient(viewer: Viewer | undefined, patientId: string): Promise<Patient> {
    const reader = requireViewer(viewer);
    if (!isUuid(patientId) || !(await this.mayRead(reader, patientId))) throw notFound('Patient');
    const [patient] = await this.patientsByIds([patientId]);
    if (!patient) throw notFound('Patient');
    await recordDisclosures(this.audit, reader, AuditAction.ListPatients, 'patient', [{ patientId, objectId: patientId }]);
    return patient;
  }

  private async mayRead(reader: Viewer, patientId: string): Promise<boolean> {
    if (reader.role === Role.PATIENT) return reader.userId === patientId;
    if (!this.readers) return false;
    if (reader.role === Role.DOCTOR) return this.readers.care.doctorHasPatient(reader.userId, patientId);
    if (reader.role === Role.STAFF) return this.readers.deskHasPatient(reader, patientId);
    return false;
  }

  /**
   * The doctor's patients (everyone with at least one appointment with them), newest booking
   * first, paged by cursor. Only the doctor themself may read it.
   */
  async listDoctorPatients(
    viewer: Viewer | undefined,
    doctorId: string,
    first: number,
    after?: string | null,
    filter?: PatientFilter,
  ): Promise<PatientConnection> {
    const doctor = assertCanActForDoctor(viewer, doctorId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after ? decodeListCursor(after) : undefined;
    const matching: Prisma.DoctorPatientWhereInput = filter ? { doctorId, patient: patientFilter(filter) } : { doctorId };
    const where: Prisma.DoctorPatientWhereInput = position
      ? {
          ...matching,
          OR: [
            { lastBookedAt: { lt: position.lastBookedAt } },
            { lastBookedAt: position.lastBookedAt, patientId: { lt: position.patientId } },
          ],
        }
      : matching;
    const [rows, totalCount] = await Promise.all([
      this.prisma.doctorPatient.findMany({
        where,
        orderBy: [{ lastBookedAt: 'desc' }, { patientId: 'desc' }],
        take: first + 1,
        select: { lastBookedAt: true, patientId: true, patient: { select: PATIENT_SELECT } },
      }),
      this.prisma.doctorPatient.count({ where: matching }),
    ]);
    const page = rows.slice(0, first);
    // One audit row per patient on the page, in one INSERT, committed before the page is sent.
    await this.audit.record(
      doctor,
      page.map((row) => ({ action: AuditAction.ListPatients, patientId: row.patientId, objectType: 'patient', objectId: row.patientId })),
    );
    const edges = page.map((row) => ({ cursor: encodeListCursor(row), node: toPatient(row.patient) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** Patients by id in one query, in the order asked (null where none): the loader's batch. */
  async patientsByIds(ids: readonly string[]): Promise<Array<Patient | null>> {
    const rows = await this.prisma.patient.findMany({ where: { id: { in: [...ids] } }, select: PATIENT_SELECT });
    const byId = new Map(rows.map((row) => [row.id, toPatient(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly patients: PatientService;
  }
}
