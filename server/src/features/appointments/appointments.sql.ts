import { z } from 'zod';
import { userContact, UserContact } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';
import { jsonColumn, timestamp } from '../../platform/sql-values';
import type { Schedule } from '../availability/availability.rules';
import { scheduleColumns, ScheduleColumns, scheduleFrom } from '../availability/availability.sql';
import { bookableDoctorRow } from '../doctors/doctors.sql';
import type { PatientRow } from '../patients/patients.service';
import { doctorPatientUpsert, patientFrom, patientRow } from '../patients/patients.sql';
import { staffMembership, type Membership } from '../practices/practices.members';
import { patientOfPractice, practicePatientInsert, staffMemberRow } from '../practices/practices.sql';
import { AppointmentColumns, appointmentColumns, appointmentColumnsJson, toAppointmentRow } from './appointments.columns';
import type { AppointmentRow } from './appointments.mapper';

/**
 * The booking path's statements (through Prisma a booking took about twenty round trips and most
 * of the server's CPU; see docs/performance.md). Two go to the database per booking: one read of
 * everything the checks need, before the transaction, and one write in it; the events, the audit
 * row and the jobs follow in the same transaction (Transactions.run).
 */

/**
 * Everything a booking is checked against, in one read: the doctor (practice, zone, working hours,
 * days off; none when removed from their practice), the patient (for the event), the booking
 * staff member's practice, an earlier booking under the same idempotency key, and whether the
 * patient is one of the doctor's practice's (staff book only those). One row, whatever exists: a missing doctor or patient comes
 * back as NULL columns. The other modules' rows are their owners' fragments
 * (bookableDoctorRow, patientRow, staffMemberRow: derived tables PostgreSQL plans as the joins they are).
 */
const BOOKING_CONTEXT: Statement = {
  name: 'appointments_booking_context',
  text: `
    SELECT d.practice_id, d.time_zone,
           ${scheduleColumns('d')},
           p.id AS patient_id, p.name AS patient_name, p.date_of_birth,
           ${patientOfPractice('d.practice_id', '$2::uuid')} AS patient_of_practice,
           s.practice_id AS staff_practice_id, s.admin AS staff_admin,
           ${appointmentColumnsJson('r')} AS repeat, r.idempotency_fingerprint AS repeat_fingerprint,
           h.id AS hold_id, h.doctor_id AS hold_doctor_id, h.patient_id AS hold_patient_id,
           h.starts_at AS hold_starts_at, h.ends_at AS hold_ends_at, h.hold_expires_at
    FROM (SELECT 1) AS one
    LEFT JOIN ${bookableDoctorRow('$1::uuid')} d ON true
    LEFT JOIN ${patientRow('$2::uuid')} p ON true
    LEFT JOIN ${staffMemberRow('$3::uuid')} s ON true
    LEFT JOIN appointments r ON r.patient_id = $2::uuid AND r.idempotency_key = $4::text
    LEFT JOIN appointments h ON h.id = $5::uuid AND h.status = 'HELD'`,
};

const ContextRow = z.object({
  practice_id: z.string().nullable(),
  time_zone: z.string().nullable(),
  ...ScheduleColumns,
  patient_id: z.string().nullable(),
  patient_name: z.string().nullable(),
  date_of_birth: z.string().nullable(),
  patient_of_practice: z.boolean(),
  staff_practice_id: z.string().nullable(),
  staff_admin: z.boolean().nullable(),
  repeat: jsonColumn(AppointmentColumns).nullable(),
  repeat_fingerprint: z.string().nullable(),
  hold_id: z.string().nullable(),
  hold_doctor_id: z.string().nullable(),
  hold_patient_id: z.string().nullable(),
  hold_starts_at: timestamp.nullable(),
  hold_ends_at: timestamp.nullable(),
  hold_expires_at: timestamp.nullable(),
});

/** An earlier booking under an idempotency key, and the fingerprint of the input it was made with. */
export interface Repeat {
  readonly row: AppointmentRow;
  readonly fingerprint: string | null;
}

export interface BookingContext {
  readonly doctor: { readonly practiceId: string; readonly schedule: Schedule } | null;
  readonly patient: PatientRow | null;
  /** Whether the patient booked with the doctor's practice before or accepted its invitation. */
  readonly patientOfPractice: boolean;
  /** The booker's membership when they are staff (null otherwise). */
  readonly staffMembership: Membership | null;
  /** The booking made earlier with this idempotency key, and the fingerprint of its input. */
  readonly repeat: Repeat | null;
  /** The hold asked for (`holdId`), while it is one (status HELD, expired or not); null otherwise. */
  readonly hold: HeldTime | null;
}

/** Reads what bookAppointment and holdSlot check (BOOKING_CONTEXT). Ids must be UUIDs (checked by the caller). */
export async function readBookingContext(
  sql: Sql,
  ids: {
    readonly doctorId: string;
    readonly patientId: string;
    readonly bookerId: string;
    readonly idempotencyKey: string | null;
    readonly holdId?: string | null;
  },
): Promise<BookingContext> {
  const [raw] = await sql.query(BOOKING_CONTEXT, [ids.doctorId, ids.patientId, ids.bookerId, ids.idempotencyKey, ids.holdId ?? null]);
  const row = ContextRow.parse(raw);
  const doctor =
    row.practice_id === null
      ? null
      : {
          practiceId: row.practice_id,
          schedule: scheduleFrom(row.time_zone ?? 'UTC', row),
        };
  const patient =
    row.patient_id === null ? null : patientFrom({ id: row.patient_id, name: row.patient_name ?? '', date_of_birth: row.date_of_birth });
  return {
    doctor,
    patient,
    patientOfPractice: row.patient_of_practice,
    staffMembership: staffMembership(row.staff_practice_id, row.staff_admin),
    repeat: repeatOf(row),
    hold:
      row.hold_id && row.hold_doctor_id && row.hold_patient_id && row.hold_starts_at && row.hold_ends_at && row.hold_expires_at
        ? {
            id: row.hold_id,
            doctorId: row.hold_doctor_id,
            patientId: row.hold_patient_id,
            startsAt: row.hold_starts_at,
            endsAt: row.hold_ends_at,
            expiresAt: row.hold_expires_at,
          }
        : null,
  };
}

/** The booking made under this patient's idempotency key, read as BOOKING_CONTEXT reads it. */
const REPEAT: Statement = {
  name: 'appointments_repeat',
  text: `
    SELECT ${appointmentColumnsJson('r')} AS repeat, r.idempotency_fingerprint AS repeat_fingerprint
    FROM appointments r WHERE r.patient_id = $1::uuid AND r.idempotency_key = $2::text`,
};

const RepeatRow = ContextRow.pick({ repeat: true, repeat_fingerprint: true });

/**
 * The booking made earlier under this key (a repeat of the request that committed first while
 * this one was checked), or null.
 */
export async function readRepeat(sql: Sql, patientId: string, idempotencyKey: string): Promise<Repeat | null> {
  const [raw] = await sql.query(REPEAT, [patientId, idempotencyKey]);
  return raw === undefined ? null : repeatOf(RepeatRow.parse(raw));
}

function repeatOf(row: z.infer<typeof RepeatRow>): Repeat | null {
  return row.repeat === null ? null : { row: toAppointmentRow(row.repeat), fingerprint: row.repeat_fingerprint };
}

/**
 * A CTE body: deletes the expired holds (status HELD, hold_expires_at at or before `now`) that
 * overlap [startsAt, endsAt) for the doctor or the patient (each argument an SQL expression). A
 * statement that takes a time runs it first (afterSweep), in the same statement: the exclusion
 * constraints still cover an expired hold until it is deleted, and deleting it here (under its row
 * lock: two such statements take turns on one hold, the second finding it gone) means an expired
 * hold never blocks anyone, whether or not the background sweep has run.
 */
export function expiredHoldsDelete(at: {
  readonly doctorId: string;
  readonly patientId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly now: string;
}): string {
  return `DELETE FROM appointments AS held
      WHERE held.status = 'HELD' AND held.hold_expires_at <= ${at.now}
        AND (held.doctor_id = ${at.doctorId} OR held.patient_id = ${at.patientId})
        AND tstzrange(held.starts_at, held.ends_at, '[)') && tstzrange(${at.startsAt}, ${at.endsAt}, '[)')
      RETURNING held.id`;
}

/**
 * A CTE body: waits for this booking's turn with the doctor, then with the patient (transaction
 * advisory locks, always in that order, released at commit). Without it, two bookings of one time
 * both insert, each exclusion check waits for the other's transaction, and PostgreSQL aborts one
 * for a deadlock after deadlock_timeout (a second), to be run again; twenty at once spent tens of
 * seconds so. In turn, the second finds the first's row committed: SLOT_UNAVAILABLE at once.
 */
function bookingTurn(doctorId: string, patientId: string): string {
  return `SELECT pg_advisory_xact_lock(hashtextextended('booking:doctor:' || ${doctorId}::text, 0)) AS doctor_turn,
             pg_advisory_xact_lock(hashtextextended('booking:patient:' || ${patientId}::text, 0)) AS patient_turn`;
}

/**
 * A FROM item that makes the statement's write wait for the sweep CTE `cte` (expiredHoldsDelete):
 * the sub-statements of a WITH run in no set order, but one that reads another's result runs
 * after it. The exclusion constraints then ignore the rows this transaction deleted.
 */
function afterSweep(cte: string): string {
  return `(SELECT count(*) FROM ${cte}) AS swept`;
}

/**
 * The booking itself, one statement: the expired holds in its way deleted (expiredHoldsDelete),
 * the appointment (the exclusion constraints refuse an overlap, with a booking or a live hold,
 * here), the doctor's patient list (first visit or a later one, decided by the upsert under its
 * row lock: `xmax = 0` only for a row this statement inserted) and the practice's (ON CONFLICT DO
 * NOTHING decides races: the one that inserts is the first visit). The lists are their owners'
 * CTE bodies (patients.sql.ts, practices.sql.ts), fed by the appointment's row, so nothing is
 * written unless it is.
 */
const INSERT_BOOKING: Statement = {
  name: 'appointments_insert_booking',
  text: `
    WITH turn AS (
      ${bookingTurn('$2::uuid', '$3::uuid')}
    ), expired AS (
      ${expiredHoldsDelete({ doctorId: '$2::uuid', patientId: '$3::uuid', startsAt: '$4::timestamptz', endsAt: '$5::timestamptz', now: '$10::timestamptz' })}
    ), appointment AS (
      INSERT INTO appointments (id, doctor_id, patient_id, starts_at, ends_at, reason, idempotency_key, idempotency_fingerprint,
                                created_by_id, created_at, updated_at)
      SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz, $6::text, $7::text, $8::text, $9::uuid,
             $10::timestamptz, $10::timestamptz
      FROM ${afterSweep('expired')}, turn
      RETURNING id
    ), doctor_list AS (
      ${doctorPatientUpsert({ doctorId: '$2::uuid', patientId: '$3::uuid', bookedAt: '$10::timestamptz' }, 'appointment')}
    ), practice_list AS (
      ${practicePatientInsert({ practiceId: '$11::uuid', patientId: '$3::uuid', bookedAt: '$10::timestamptz' }, 'appointment')}
    )
    SELECT coalesce((SELECT first_visit FROM doctor_list), false) AS first_visit,
           EXISTS (SELECT 1 FROM practice_list) AS practice_first_visit`,
};

const BookedRow = z.object({ first_visit: z.boolean(), practice_first_visit: z.boolean() });

export interface NewBooking {
  readonly id: string;
  readonly doctorId: string;
  readonly patientId: string;
  readonly practiceId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
  readonly fingerprint: string | null;
  readonly createdById: string;
  readonly createdAt: Date;
}

/** INSERT_BOOKING's and CONVERT_HOLD's parameters, in their order ($1 to $11). */
function bookingValues(booking: NewBooking): unknown[] {
  return [
    booking.id,
    booking.doctorId,
    booking.patientId,
    booking.startsAt.toISOString(),
    booking.endsAt.toISOString(),
    booking.reason,
    booking.idempotencyKey,
    booking.fingerprint,
    booking.createdById,
    booking.createdAt.toISOString(),
    booking.practiceId,
  ];
}

/** Writes the booking (INSERT_BOOKING) in the caller's transaction; says whether it is the patient's first with the doctor and with the practice. */
export async function insertBooking(sql: Sql, booking: NewBooking): Promise<{ firstVisit: boolean; practiceFirstVisit: boolean }> {
  const [raw] = await sql.query(INSERT_BOOKING, bookingValues(booking));
  const row = BookedRow.parse(raw);
  return { firstVisit: row.first_visit, practiceFirstVisit: row.practice_first_visit };
}

/**
 * A hold becomes the booking, one statement in place of INSERT_BOOKING (no other statement is
 * added to the booking transaction): the HELD row turns BOOKED (its time stays taken throughout,
 * so nothing can slip in between) with the booking's columns, and the patient lists are written as
 * for a new booking. Only while it is a live hold of this doctor, patient and time: an expired one
 * (even not yet swept) or one already booked changes nothing (`converted` false).
 */
const CONVERT_HOLD: Statement = {
  name: 'appointments_convert_hold',
  text: `
    WITH appointment AS (
      UPDATE appointments SET status = 'BOOKED', hold_expires_at = NULL, reason = $6::text, idempotency_key = $7::text,
             idempotency_fingerprint = $8::text, created_by_id = $9::uuid, created_at = $10::timestamptz, updated_at = $10::timestamptz
      WHERE id = $1::uuid AND status = 'HELD' AND hold_expires_at > $10::timestamptz
        AND doctor_id = $2::uuid AND patient_id = $3::uuid AND starts_at = $4::timestamptz AND ends_at = $5::timestamptz
      RETURNING id
    ), doctor_list AS (
      ${doctorPatientUpsert({ doctorId: '$2::uuid', patientId: '$3::uuid', bookedAt: '$10::timestamptz' }, 'appointment')}
    ), practice_list AS (
      ${practicePatientInsert({ practiceId: '$11::uuid', patientId: '$3::uuid', bookedAt: '$10::timestamptz' }, 'appointment')}
    )
    SELECT EXISTS (SELECT 1 FROM appointment) AS converted,
           coalesce((SELECT first_visit FROM doctor_list), false) AS first_visit,
           EXISTS (SELECT 1 FROM practice_list) AS practice_first_visit`,
};

const ConvertedRow = BookedRow.extend({ converted: z.boolean() });

/**
 * Books the live hold `booking.id` (CONVERT_HOLD) in the caller's transaction: whether it was
 * still one (false: expired or booked meanwhile; nothing written), and the first-visit flags.
 */
export async function convertHold(
  sql: Sql,
  booking: NewBooking,
): Promise<{ converted: boolean; firstVisit: boolean; practiceFirstVisit: boolean }> {
  const [raw] = await sql.query(CONVERT_HOLD, bookingValues(booking));
  const row = ConvertedRow.parse(raw);
  return { converted: row.converted, firstVisit: row.first_visit, practiceFirstVisit: row.practice_first_visit };
}

/** A hold's row, as the booking path reads it. */
export interface HeldTime {
  readonly id: string;
  readonly doctorId: string;
  readonly patientId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly expiresAt: Date;
}

/**
 * A hold, one statement: the expired holds in its way deleted first (expiredHoldsDelete), then
 * the HELD row, which the exclusion constraints refuse (23P01, SLOT_UNAVAILABLE) when it overlaps
 * a booking or a live hold of the doctor or of the patient. No patient list, no event: a hold is
 * not a visit.
 */
const INSERT_HOLD: Statement = {
  name: 'appointments_insert_hold',
  text: `
    WITH expired AS (
      ${expiredHoldsDelete({ doctorId: '$2::uuid', patientId: '$3::uuid', startsAt: '$4::timestamptz', endsAt: '$5::timestamptz', now: '$8::timestamptz' })}
    )
    INSERT INTO appointments (id, doctor_id, patient_id, starts_at, ends_at, status, hold_expires_at, created_by_id, created_at, updated_at)
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz, 'HELD', $6::timestamptz, $7::uuid, $8::timestamptz, $8::timestamptz
    FROM ${afterSweep('expired')}`,
};

/** Writes a hold (INSERT_HOLD) in the caller's transaction. */
export async function insertHold(sql: Sql, hold: HeldTime & { readonly createdById: string; readonly createdAt: Date }): Promise<void> {
  await sql.query(INSERT_HOLD, [
    hold.id,
    hold.doctorId,
    hold.patientId,
    hold.startsAt.toISOString(),
    hold.endsAt.toISOString(),
    hold.expiresAt.toISOString(),
    hold.createdById,
    hold.createdAt.toISOString(),
  ]);
}

/** The background sweep: every hold expired at `$1`, at most `$2` at a time (by the partial index). */
const DELETE_EXPIRED_HOLDS: Statement = {
  name: 'appointments_delete_expired_holds',
  text: `
    WITH gone AS (
      DELETE FROM appointments WHERE id IN (
        SELECT id FROM appointments WHERE status = 'HELD' AND hold_expires_at <= $1::timestamptz LIMIT $2::int
      ) AND status = 'HELD' AND hold_expires_at <= $1::timestamptz
      RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM gone`,
};

const DeletedRow = z.object({ deleted: z.number().int() });

/** Deletes up to `limit` holds expired at `now` in the caller's transaction; how many. */
export async function deleteExpiredHolds(sql: Sql, now: Date, limit: number): Promise<number> {
  const [raw] = await sql.query(DELETE_EXPIRED_HOLDS, [now.toISOString(), limit]);
  return DeletedRow.parse(raw).deleted;
}

/*
 * What other modules read of appointments: fragments for their statements (the table qualified
 * by its own name, which no caller's alias can shadow: only this module names it), and reads.
 */

/** A condition for another module's statement: the appointment `appointmentId` names (an SQL expression of type uuid) exists. */
export function appointmentExists(appointmentId: string): string {
  return `EXISTS (SELECT 1 FROM appointments WHERE appointments.id = ${appointmentId})`;
}

/**
 * A CTE body for another module's statement: the appointment `appointmentId` names (an SQL
 * expression of type uuid), its columns named as appointmentColumns names them (decode them with
 * AppointmentColumns); no row when there is no such appointment.
 */
export function appointmentById(appointmentId: string): string {
  return `SELECT ${appointmentColumns('appointments')} FROM appointments WHERE appointments.id = ${appointmentId}`;
}

/** A doctor's visits (not cancelled, not holds) starting in [$2, $3), by time, with the patient's name: the daily agenda. */
const DOCTOR_DAY: Statement = {
  name: 'appointments_doctor_day',
  text: `
    SELECT a.starts_at, a.ends_at, ${userContact('a.patient_id')} AS patient
    FROM appointments a
    WHERE a.doctor_id = $1::uuid AND a.status NOT IN ('CANCELLED', 'HELD') AND a.starts_at >= $2::timestamptz AND a.starts_at < $3::timestamptz
    ORDER BY a.starts_at`,
};

const DayRow = z.object({ starts_at: timestamp, ends_at: timestamp, patient: UserContact });

/** The doctor's visits of one day (`range`: its start and end instants), in order. `doctorId` must be a UUID. */
export async function readDoctorDay(
  sql: Sql,
  doctorId: string,
  range: { readonly start: Date; readonly end: Date },
): Promise<Array<{ startsAt: Date; endsAt: Date; patientName: string }>> {
  const rows = await sql.query(DOCTOR_DAY, [doctorId, range.start.toISOString(), range.end.toISOString()]);
  return rows.map((raw) => {
    const row = DayRow.parse(raw);
    return { startsAt: row.starts_at, endsAt: row.ends_at, patientName: row.patient?.name ?? '' };
  });
}
