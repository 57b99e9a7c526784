import { assertCanActForDoctor, type Viewer } from '../../accounts/authorization';
import { AuditAction } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { decodeListCursor, encodeListCursor } from '../../live/cursors';
import { badUserInput } from '../../platform/errors';
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

export function toPatient(row: PatientRow): Patient {
  return { id: row.id, name: row.user.name, dateOfBirth: row.dateOfBirth };
}

/** Patients: a doctor's list, and patients by id (batched for loaders). */
export class PatientService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The doctor's patients (everyone with at least one appointment with them), newest booking
   * first, paged by cursor. Only the doctor themself may read it.
   */
  async listDoctorPatients(viewer: Viewer | undefined, doctorId: string, first: number, after?: string | null): Promise<PatientConnection> {
    const doctor = assertCanActForDoctor(viewer, doctorId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'first');
    }
    const position = after ? decodeListCursor(after) : undefined;
    const where: Prisma.DoctorPatientWhereInput = position
      ? {
          doctorId,
          OR: [
            { lastBookedAt: { lt: position.lastBookedAt } },
            { lastBookedAt: position.lastBookedAt, patientId: { lt: position.patientId } },
          ],
        }
      : { doctorId };
    const [rows, totalCount] = await Promise.all([
      this.prisma.doctorPatient.findMany({
        where,
        orderBy: [{ lastBookedAt: 'desc' }, { patientId: 'desc' }],
        take: first + 1,
        select: { lastBookedAt: true, patientId: true, patient: { select: PATIENT_SELECT } },
      }),
      this.prisma.doctorPatient.count({ where: { doctorId } }),
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
