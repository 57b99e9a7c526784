import { z } from 'zod';
import { AppointmentStatus } from '../../generated/prisma/enums';
import type { Prisma } from '../../generated/prisma/client';
import type { PrismaReader } from '../../platform/database';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import { toAppointment } from './appointments.mapper';
import type { Appointment } from './appointments.type';

/**
 * What other modules read of appointments (this folder owns the table): calendars, busy times
 * and who has appointments with whom. The rules built on them (who treats whom, free slots) stay
 * with those modules.
 */

/**
 * A hold (status HELD) is not an appointment: every read of appointments leaves it out with this
 * condition, except those that mean holds (takenTimes, FHIR's read of a live hold).
 */
export const NOT_A_HOLD: Prisma.AppointmentWhereInput = { status: { not: AppointmentStatus.HELD } };

/** Appointments overlapping [from, to) of one doctor or of every doctor of a practice, every status but holds, in time order. */
export async function appointmentsOverlapping(
  prisma: PrismaReader,
  of: { readonly doctorId: string } | { readonly practiceId: string },
  from: Date,
  to: Date,
): Promise<Appointment[]> {
  const rows = await prisma.appointment.findMany({
    where: {
      AND: [
        'doctorId' in of ? { doctorId: of.doctorId } : { doctor: { practiceId: of.practiceId } },
        NOT_A_HOLD,
        { startsAt: { lt: to }, endsAt: { gt: from } },
      ],
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toAppointment);
}

/**
 * The times the doctor is taken in [$2, $3): BOOKED and CHECKED_IN appointments, and holds not
 * expired at $4. The conditions are those of the appointments_doctor_no_overlap exclusion
 * constraint, so its GiST index on (doctor_id, tstzrange) finds only the overlapping rows: a
 * condition on starts_at alone (starts_at < to) would walk every past appointment of the doctor.
 */
const TAKEN_TIMES: Statement = {
  name: 'appointments_taken_times',
  text: `
    SELECT starts_at, ends_at FROM appointments
    WHERE doctor_id = $1::uuid
      AND tstzrange(starts_at, ends_at, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
      AND status IN ('BOOKED', 'CHECKED_IN', 'HELD')
      AND (status <> 'HELD' OR hold_expires_at > $4::timestamptz)`,
};

const TakenRow = z.object({ starts_at: timestamp, ends_at: timestamp });

/** TAKEN_TIMES: an expired hold is free, swept or not. Free slots leave these times out. */
export async function takenTimes(
  sql: Sql,
  doctorId: string,
  range: { readonly from: Date; readonly to: Date },
  now: Date,
): Promise<Array<{ start: Date; end: Date }>> {
  const rows = await sql.query(TAKEN_TIMES, [doctorId, range.from, range.to, now]);
  return rows.map((raw) => {
    const row = TakenRow.parse(raw);
    return { start: row.starts_at, end: row.ends_at };
  });
}

/** Whether the doctor and the patient have an appointment in one of these statuses. */
export async function hasAppointmentIn(
  prisma: PrismaReader,
  doctorId: string,
  patientId: string,
  statuses: readonly AppointmentStatus[],
): Promise<boolean> {
  const row = await prisma.appointment.findFirst({ where: { doctorId, patientId, status: { in: [...statuses] } }, select: { id: true } });
  return row !== null;
}

/** Which of these patients have an appointment in one of these statuses with the doctor. */
export async function patientsWithAppointmentsIn(
  prisma: PrismaReader,
  doctorId: string,
  patientIds: readonly string[],
  statuses: readonly AppointmentStatus[],
): Promise<Set<string>> {
  const rows = await prisma.appointment.findMany({
    where: { doctorId, patientId: { in: [...patientIds] }, status: { in: [...statuses] } },
    select: { patientId: true },
    distinct: ['patientId'],
  });
  return new Set(rows.map((row) => row.patientId));
}

/**
 * The doctors who have an appointment in one of these statuses with the patient, sorted by id.
 * A statement, so it runs in the caller's transaction (recording vitals emits to each of them).
 */
const DOCTORS_WITH_APPOINTMENTS: Statement = {
  name: 'appointments_doctors_of_patient',
  text: `
    SELECT DISTINCT doctor_id FROM appointments
    WHERE patient_id = $1::uuid AND status::text = ANY($2::text[])
    ORDER BY doctor_id`,
};

const DoctorIdRow = z.object({ doctor_id: z.string() });

export async function doctorsWithAppointmentsIn(sql: Sql, patientId: string, statuses: readonly AppointmentStatus[]): Promise<string[]> {
  const rows = await sql.query(DOCTORS_WITH_APPOINTMENTS, [patientId, [...statuses]]);
  return rows.map((raw) => DoctorIdRow.parse(raw).doctor_id);
}
