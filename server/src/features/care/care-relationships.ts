import DataLoader from 'dataloader';
import { AppointmentStatus } from '../../generated/prisma/enums';
import type { PrismaReader } from '../../platform/database';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { doctorsWithAppointmentsIn, hasAppointmentIn, patientsWithAppointmentsIn } from '../appointments/appointments.reads';

/**
 * The statuses that make a doctor "a doctor of the patient": an appointment still to come, the
 * patient in the waiting room, or a visit that took place. An appointment that was only ever
 * cancelled, or that the patient did not come to, gives no access to their chart.
 */
export const CARE_STATUSES: readonly AppointmentStatus[] = [
  AppointmentStatus.BOOKED,
  AppointmentStatus.CHECKED_IN,
  AppointmentStatus.COMPLETED,
];

/**
 * The one source of truth for "this doctor treats this patient": an appointment between them in
 * one of CARE_STATUSES, now (so cancelling the only booking ends it). Authorization
 * (accounts/authorization.ts) asks it; queries and subscriptions never re-derive it themselves.
 * The doctor's patient list (doctor_patients) is history, not access: it keeps everyone who ever
 * booked. Which records a doctor reads is decided here too: those written in their own practice.
 */
export class CareRelationships {
  /**
   * `treatsNow`'s batches: the checks asked in one tick (one event reaching a doctor's sockets,
   * several subscribers' events at once) are one query per doctor. Nothing is cached beyond the
   * batch: each event is checked against the database as it is now.
   */
  private readonly checks = new DataLoader<readonly [string, string], boolean, string>(
    async (pairs) => {
      const byDoctor = new Map<string, string[]>();
      for (const [doctorId, patientId] of pairs) byDoctor.set(doctorId, [...(byDoctor.get(doctorId) ?? []), patientId]);
      const treated = new Map(
        await Promise.all(
          [...byDoctor].map(async ([doctorId, patientIds]) => [doctorId, await this.patientsOfDoctorAmong(doctorId, patientIds)] as const),
        ),
      );
      return pairs.map(([doctorId, patientId]) => treated.get(doctorId)?.has(patientId) ?? false);
    },
    { cache: false, cacheKeyFn: ([doctorId, patientId]) => `${doctorId}:${patientId}` },
  );

  /** `practiceOfDoctor`: the doctor's practice, or null when there is no such doctor (the doctors' module answers it). */
  constructor(
    private readonly prisma: PrismaReader,
    private readonly practiceOfDoctor: (doctorId: string) => Promise<string | null>,
  ) {}

  /**
   * `doctorHasPatient`, batched with the concurrent calls (checks): the re-check of every vitals
   * event a doctor's stream delivers, live or replayed.
   */
  treatsNow(doctorId: string, patientId: string): Promise<boolean> {
    return this.checks.load([doctorId, patientId]);
  }

  /** True while the patient has a BOOKED, CHECKED_IN or COMPLETED appointment with the doctor. */
  async doctorHasPatient(doctorId: string, patientId: string): Promise<boolean> {
    if (!isUuid(doctorId) || !isUuid(patientId)) return false;
    return hasAppointmentIn(this.prisma, doctorId, patientId, CARE_STATUSES);
  }

  /** Which of these patients the doctor treats now, in one query (for batched loaders). */
  async patientsOfDoctorAmong(doctorId: string, patientIds: readonly string[]): Promise<Set<string>> {
    const ids = patientIds.filter(isUuid);
    if (!isUuid(doctorId) || ids.length === 0) return new Set();
    return patientsWithAppointmentsIn(this.prisma, doctorId, ids, CARE_STATUSES);
  }

  /**
   * Every doctor who treats the patient now, sorted by id (a stable lock order for their event
   * streams), read in the caller's transaction.
   */
  async doctorsOfPatient(tx: Sql, patientId: string): Promise<string[]> {
    if (!isUuid(patientId)) return [];
    return doctorsWithAppointmentsIn(tx, patientId, CARE_STATUSES);
  }

  /** The practice whose records a doctor may read (their own), or null when there is no such doctor. */
  async recordsPracticeOfDoctor(doctorId: string): Promise<string | null> {
    if (!isUuid(doctorId)) return null;
    return this.practiceOfDoctor(doctorId);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly relationships: CareRelationships;
  }
}
