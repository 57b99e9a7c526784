import { z } from 'zod';
import type { AppointmentStatus } from '../../generated/prisma/enums';
import type { Sql, Statement } from '../../platform/sql';
import type { Schedule } from '../availability/availability.rules';
import { scheduleColumns, ScheduleColumns, scheduleFrom } from '../availability/availability.sql';
import { doctorPracticeId, doctorRow } from '../doctors/doctors.sql';
import { staffMembership, type Membership } from '../practices/practices.members';
import { practiceTimeZoneOf, staffMemberRow } from '../practices/practices.sql';
import { AppointmentColumns, appointmentColumns, toAppointmentRow } from './appointments.columns';
import type { AppointmentRow } from './appointments.mapper';

/**
 * The statements of an appointment change (cancel, reschedule, complete, check in, no-show), in
 * raw SQL like the booking (appointments.sql.ts): one that locks the appointment and reads what
 * the checks need, one that writes the change.
 */

/**
 * Locks the appointment (concurrent changes of one appointment take turns, so the second sees the
 * first's outcome and the transition table answers it) and reads, with it: its practice and the
 * practice's zone, the doctor's working hours (for a reschedule) and the asking staff member's
 * or doctor's practice. No row: no such appointment (a hold is none: it is booked or left to expire). The other modules' rows and columns are
 * their owners' fragments (doctors.sql.ts, practices.sql.ts).
 */
const LOCK_FOR_CHANGE: Statement = {
  name: 'appointments_lock_for_change',
  text: `
    SELECT ${appointmentColumns('a')},
           d.practice_id, ${practiceTimeZoneOf('d.practice_id')} AS practice_time_zone, d.time_zone AS doctor_time_zone,
           ${scheduleColumns('d')},
           s.practice_id AS staff_practice_id, s.admin AS staff_admin,
           ${doctorPracticeId('$2::uuid')} AS doctor_practice_id
    FROM appointments a
    JOIN LATERAL ${doctorRow('a.doctor_id')} d ON true
    LEFT JOIN ${staffMemberRow('$2::uuid')} s ON true
    WHERE a.id = $1::uuid AND a.status <> 'HELD'
    FOR UPDATE OF a`,
};

const LockedRow = AppointmentColumns.extend({
  practice_id: z.string(),
  practice_time_zone: z.string(),
  doctor_time_zone: z.string(),
  ...ScheduleColumns,
  staff_practice_id: z.string().nullable(),
  staff_admin: z.boolean().nullable(),
  doctor_practice_id: z.string().nullable(),
});

export interface LockedAppointment {
  readonly row: AppointmentRow;
  readonly practice: { readonly id: string; readonly timeZone: string };
  readonly schedule: Schedule;
  /** The asking staff member's membership; null when the viewer is not staff. */
  readonly staffMembership: Membership | null;
  /** The practice of the asking doctor or staff member (for the audit row); null for a patient. */
  readonly viewerPracticeId: string | null;
}

/** LOCK_FOR_CHANGE in the caller's transaction; null when there is no such appointment. Ids must be UUIDs. */
export async function lockForChange(sql: Sql, appointmentId: string, viewerId: string): Promise<LockedAppointment | null> {
  const [raw] = await sql.query(LOCK_FOR_CHANGE, [appointmentId, viewerId]);
  if (raw === undefined) return null;
  const row = LockedRow.parse(raw);
  return {
    row: toAppointmentRow(row),
    practice: { id: row.practice_id, timeZone: row.practice_time_zone },
    schedule: scheduleFrom(row.doctor_time_zone, row),
    staffMembership: staffMembership(row.staff_practice_id, row.staff_admin),
    viewerPracticeId: row.staff_practice_id ?? row.doctor_practice_id,
  };
}

/**
 * Writes one change: the new status, a new time (reschedule), and the column that says when (and
 * for a cancellation why and by whom); the columns of other changes keep their values. Back to
 * BOOKED from CHECKED_IN (an undone check-in) clears checked_in_at: SET reads the old status. A
 * confirmation sets confirmed_at (once); a new time clears it (the patient confirmed the old one).
 * A reschedule first deletes the expired holds in the new time's way, as a booking does
 * (expiredHoldsDelete in appointments.sql.ts; the UPDATE reads the sweep's count so it runs after).
 */
const APPLY_CHANGE: Statement = {
  name: 'appointments_apply_change',
  text: `
    WITH expired AS (
      DELETE FROM appointments AS held USING appointments AS moved
      WHERE $3::timestamptz IS NOT NULL AND moved.id = $1::uuid AND held.status = 'HELD' AND held.hold_expires_at <= $7::timestamptz
        AND (held.doctor_id = moved.doctor_id OR held.patient_id = moved.patient_id)
        AND tstzrange(held.starts_at, held.ends_at, '[)') && tstzrange($3::timestamptz, $4::timestamptz, '[)')
      RETURNING held.id
    )
    UPDATE appointments AS a SET
      status = $2::"AppointmentStatus",
      starts_at = coalesce($3::timestamptz, starts_at),
      ends_at = coalesce($4::timestamptz, ends_at),
      cancellation_reason = CASE WHEN $2::text = 'CANCELLED' THEN $5::text ELSE cancellation_reason END,
      cancelled_by_id = CASE WHEN $2::text = 'CANCELLED' THEN $6::uuid ELSE cancelled_by_id END,
      cancelled_at = CASE WHEN $2::text = 'CANCELLED' THEN $7::timestamptz ELSE cancelled_at END,
      checked_in_at = CASE WHEN $2::text = 'CHECKED_IN' THEN $7::timestamptz
                           WHEN $2::text = 'BOOKED' AND a.status = 'CHECKED_IN' THEN NULL ELSE checked_in_at END,
      no_show_at = CASE WHEN $2::text = 'NO_SHOW' THEN $7::timestamptz ELSE no_show_at END,
      completed_at = CASE WHEN $2::text = 'COMPLETED' THEN $7::timestamptz ELSE completed_at END,
      confirmed_at = CASE WHEN $8::boolean THEN coalesce(a.confirmed_at, $7::timestamptz)
                          WHEN $3::timestamptz IS NOT NULL THEN NULL ELSE confirmed_at END,
      updated_at = $7::timestamptz
    FROM (SELECT count(*) FROM expired) AS swept
    WHERE a.id = $1::uuid
    RETURNING ${appointmentColumns('a')}`,
};

export interface AppointmentChangeWrite {
  readonly status: AppointmentStatus;
  /** A reschedule's new time. */
  readonly range?: { readonly startsAt: Date; readonly endsAt: Date };
  /** A cancellation's reason and who cancelled. */
  readonly cancellation?: { readonly reason: string | null; readonly byId: string };
  /** The patient confirmed they will come. */
  readonly confirm?: boolean;
  readonly at: Date;
}

/** APPLY_CHANGE in the caller's transaction (the exclusion constraints check a new time here); the row as it now is. */
export async function applyChange(sql: Sql, appointmentId: string, change: AppointmentChangeWrite): Promise<AppointmentRow> {
  const [raw] = await sql.query(APPLY_CHANGE, [
    appointmentId,
    change.status,
    change.range?.startsAt.toISOString() ?? null,
    change.range?.endsAt.toISOString() ?? null,
    change.cancellation?.reason ?? null,
    change.cancellation?.byId ?? null,
    change.at.toISOString(),
    change.confirm === true,
  ]);
  if (raw === undefined) throw new Error(`appointment ${appointmentId} vanished under its row lock`);
  return toAppointmentRow(AppointmentColumns.parse(raw));
}

/**
 * The patient's next appointment they can still confirm: BOOKED and not started, the earliest
 * first (a "C" text reply confirms it).
 */
const NEXT_CONFIRMABLE: Statement = {
  name: 'appointments_next_confirmable',
  text: `
    SELECT id FROM appointments
    WHERE patient_id = $1::uuid AND status = 'BOOKED' AND starts_at > $2::timestamptz
    ORDER BY starts_at LIMIT 1`,
};

/** The id of NEXT_CONFIRMABLE, or undefined when the patient has no upcoming appointment. */
export async function nextConfirmableAppointment(sql: Sql, patientId: string, now: Date): Promise<string | undefined> {
  const [raw] = await sql.query(NEXT_CONFIRMABLE, [patientId, now.toISOString()]);
  return raw === undefined ? undefined : z.object({ id: z.string() }).parse(raw).id;
}
