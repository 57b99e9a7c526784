import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { isUuid } from './validation';

/**
 * The one source of truth for "this doctor treats this patient": a row in doctor_patients, written
 * by the booking transaction (any appointment, whatever its status later). Authorization
 * (core/authorization.ts) asks it; queries and subscriptions never re-derive it themselves.
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

  /** Every doctor who has the patient on their list, sorted by id (a stable lock order for their event streams). */
  async doctorsOfPatient(patientId: string, db: Prisma.TransactionClient = this.prisma): Promise<string[]> {
    if (!isUuid(patientId)) return [];
    const rows = await db.doctorPatient.findMany({ where: { patientId }, select: { doctorId: true }, orderBy: { doctorId: 'asc' } });
    return rows.map((row) => row.doctorId);
  }
}
