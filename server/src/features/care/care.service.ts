import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { isUuid } from '../../platform/validation';

/**
 * The one source of truth for "this doctor treats this patient": a row in doctor_patients, written
 * by the booking transaction (any appointment, whatever its status later). Authorization
 * (accounts/authorization.ts) asks it; queries and subscriptions never re-derive it themselves.
 */
export class RelationshipService {
  constructor(private readonly prisma: PrismaClient) {}

  /** True when the patient has booked the doctor at least once. */
  async doctorHasPatient(doctorId: string, patientId: string): Promise<boolean> {
    if (!isUuid(doctorId) || !isUuid(patientId)) return false;
    const row = await this.prisma.doctorPatient.findUnique({
      where: { doctorId_patientId: { doctorId, patientId } },
      select: { doctorId: true },
    });
    return row !== null;
  }

  /** Which of these patients the doctor has on their list, in one query (for batched loaders). */
  async patientsOfDoctorAmong(doctorId: string, patientIds: readonly string[]): Promise<Set<string>> {
    const ids = patientIds.filter(isUuid);
    if (!isUuid(doctorId) || ids.length === 0) return new Set();
    const rows = await this.prisma.doctorPatient.findMany({ where: { doctorId, patientId: { in: ids } }, select: { patientId: true } });
    return new Set(rows.map((row) => row.patientId));
  }

  /** Every doctor who has the patient on their list, sorted by id (a stable lock order for their event streams). */
  async doctorsOfPatient(patientId: string, db: Prisma.TransactionClient = this.prisma): Promise<string[]> {
    if (!isUuid(patientId)) return [];
    const rows = await db.doctorPatient.findMany({ where: { patientId }, select: { doctorId: true }, orderBy: { doctorId: 'asc' } });
    return rows.map((row) => row.doctorId);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly relationships: RelationshipService;
  }
}
