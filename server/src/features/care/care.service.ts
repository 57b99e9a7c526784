import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { isUuid } from '../../platform/validation';

/**
 * The statuses that make a doctor "a doctor of the patient": an appointment still to come, the
 * patient in the waiting room, or a visit that took place. An appointment that was only ever
 * cancelled, or that the patient did not come to, gives no access to their chart.
 */
export const CARE_STATUSES: readonly AppointmentStatus[] = [AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED];

/**
 * The one source of truth for "this doctor treats this patient": an appointment between them in
 * one of CARE_STATUSES, now (so cancelling the only booking ends it). Authorization
 * (accounts/authorization.ts) asks it; queries and subscriptions never re-derive it themselves.
 * The doctor's patient list (doctor_patients) is history, not access: it keeps everyone who ever
 * booked. Which records a doctor reads is decided here too: those written in their own practice.
 */
export class RelationshipService {
  constructor(private readonly prisma: PrismaClient) {}

  /** True while the patient has a BOOKED, CHECKED_IN or COMPLETED appointment with the doctor. */
  async doctorHasPatient(doctorId: string, patientId: string, db: Prisma.TransactionClient = this.prisma): Promise<boolean> {
    if (!isUuid(doctorId) || !isUuid(patientId)) return false;
    const row = await db.appointment.findFirst({
      where: { doctorId, patientId, status: { in: [...CARE_STATUSES] } },
      select: { id: true },
    });
    return row !== null;
  }

  /** Which of these patients the doctor treats now, in one query (for batched loaders). */
  async patientsOfDoctorAmong(doctorId: string, patientIds: readonly string[]): Promise<Set<string>> {
    const ids = patientIds.filter(isUuid);
    if (!isUuid(doctorId) || ids.length === 0) return new Set();
    const rows = await this.prisma.appointment.findMany({
      where: { doctorId, patientId: { in: ids }, status: { in: [...CARE_STATUSES] } },
      select: { patientId: true },
      distinct: ['patientId'],
    });
    return new Set(rows.map((row) => row.patientId));
  }

  /** Every doctor who treats the patient now, sorted by id (a stable lock order for their event streams). */
  async doctorsOfPatient(patientId: string, db: Prisma.TransactionClient = this.prisma): Promise<string[]> {
    if (!isUuid(patientId)) return [];
    const rows = await db.appointment.findMany({
      where: { patientId, status: { in: [...CARE_STATUSES] } },
      select: { doctorId: true },
      distinct: ['doctorId'],
      orderBy: { doctorId: 'asc' },
    });
    return rows.map((row) => row.doctorId);
  }

  /** The practice whose records a doctor may read (their own), or null when there is no such doctor. */
  async recordsPracticeOfDoctor(doctorId: string): Promise<string | null> {
    if (!isUuid(doctorId)) return null;
    const row = await this.prisma.doctor.findUnique({ where: { id: doctorId }, select: { practiceId: true } });
    return row?.practiceId ?? null;
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly relationships: RelationshipService;
  }
}
