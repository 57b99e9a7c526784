import { z } from 'zod';
import { userContact, UserContact } from '../../accounts/users.sql';
import { accountActive } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';

/**
 * The `doctors` table's statements and the fragments other modules' statements compose (the
 * booking's context, the lock of an appointment change, the webhooks' fan-out): this folder owns
 * the table, so only these name it.
 */

/**
 * The doctor `id` as a derived table of at most one row (`id`, `practice_id`, `time_zone`), for
 * `LEFT JOIN ${doctorRow('$1::uuid')} d ON true` (or `JOIN LATERAL` with an outer column). `id` is
 * a SQL expression; it must not refer to an alias named `doctor`.
 */
export function doctorRow(id: string): string {
  return `(SELECT doctor.id, doctor.practice_id, doctor.time_zone FROM doctors doctor WHERE doctor.id = ${id})`;
}

/**
 * doctorRow for a booking: no row when the doctor was removed from their practice (account
 * deactivated), so a removed doctor cannot be booked (the booking answers as for an unknown one).
 */
export function bookableDoctorRow(id: string): string {
  return `(SELECT doctor.id, doctor.practice_id, doctor.time_zone FROM doctors doctor WHERE doctor.id = ${id} AND ${accountActive('doctor.id')})`;
}

/** The practice of the doctor `id` (a SQL expression) as a scalar subquery; NULL when there is no such doctor. */
export function doctorPracticeId(id: string): string {
  return `(SELECT doctor.practice_id FROM doctors doctor WHERE doctor.id = ${id})`;
}

/** A doctor's profile, written with their account (the user row of the same id). */
const INSERT_DOCTOR: Statement = {
  name: 'doctors_insert',
  text: `
    INSERT INTO doctors (id, specialty, time_zone, practice_id, admin)
    VALUES ($1::uuid, $2::text, $3::text, $4::uuid, $5::boolean)`,
};

export interface NewDoctor {
  /** The doctor's user id. */
  readonly id: string;
  readonly specialty: string;
  readonly timeZone: string;
  readonly practiceId: string;
  /** May invite members of the practice. */
  readonly admin: boolean;
}

/** Writes the doctor's profile in the caller's transaction. */
export async function insertDoctor(tx: Sql, doctor: NewDoctor): Promise<void> {
  await tx.query(INSERT_DOCTOR, [doctor.id, doctor.specialty, doctor.timeZone, doctor.practiceId, doctor.admin]);
}

/** Where a doctor belongs, and whether they may invite (their practice membership). */
const DOCTOR_PLACEMENT: Statement = {
  name: 'doctors_placement',
  // A removed doctor (account deactivated) keeps their row for history but belongs nowhere.
  text: `SELECT practice_id, admin FROM doctors WHERE id = $1::uuid AND ${accountActive('doctors.id')}`,
};

const PlacementRow = z.object({ practice_id: z.string(), admin: z.boolean() });

/** The doctor's practice and admin flag, or null when there is no such doctor. `doctorId` must be a UUID. */
export async function readDoctorPlacement(sql: Sql, doctorId: string): Promise<{ practiceId: string; admin: boolean } | null> {
  const [raw] = await sql.query(DOCTOR_PLACEMENT, [doctorId]);
  if (raw === undefined) return null;
  const row = PlacementRow.parse(raw);
  return { practiceId: row.practice_id, admin: row.admin };
}

/** How many admins the practice has among its doctors but `$2`, removed ones left out. */
const OTHER_DOCTOR_ADMINS: Statement = {
  name: 'doctors_other_admins',
  text: `SELECT count(*)::int AS admins FROM doctors d WHERE d.practice_id = $1::uuid AND d.admin AND d.id <> $2::uuid AND ${accountActive('d.id')}`,
};

const AdminCount = z.object({ admins: z.number().int() });

/** OTHER_DOCTOR_ADMINS in the caller's transaction (a removal checks it keeps an admin). */
export async function countOtherDoctorAdmins(sql: Sql, practiceId: string, exceptId: string): Promise<number> {
  const [raw] = await sql.query(OTHER_DOCTOR_ADMINS, [practiceId, exceptId]);
  return AdminCount.parse(raw).admins;
}

/** Every doctor's id and time zone (the daily agendas are scheduled on each doctor's clock). */
const DOCTOR_TIME_ZONES: Statement = {
  name: 'doctors_time_zones',
  text: `SELECT id, time_zone FROM doctors ORDER BY id`,
};

const TimeZoneRow = z.object({ id: z.string(), time_zone: z.string() });

/** Every doctor with their time zone. */
export async function listDoctorTimeZones(sql: Sql): Promise<Array<{ id: string; timeZone: string }>> {
  const rows = await sql.query(DOCTOR_TIME_ZONES, []);
  return rows.map((raw) => {
    const row = TimeZoneRow.parse(raw);
    return { id: row.id, timeZone: row.time_zone };
  });
}

/** A doctor's time zone with their name and email (what mail to the doctor is written with). No row: no such doctor. */
const DOCTOR_CONTACT: Statement = {
  name: 'doctors_contact',
  text: `SELECT d.id, d.time_zone, ${userContact('d.id')} AS contact FROM doctors d WHERE d.id = $1::uuid`,
};

const ContactRow = z.object({ id: z.string(), time_zone: z.string(), contact: UserContact });

/** The doctor's zone, name and email; null when there is no such doctor. `doctorId` must be a UUID. */
export async function readDoctorContact(
  sql: Sql,
  doctorId: string,
): Promise<{ id: string; timeZone: string; name: string; email: string } | null> {
  const [raw] = await sql.query(DOCTOR_CONTACT, [doctorId]);
  if (raw === undefined) return null;
  const row = ContactRow.parse(raw);
  return row.contact === null ? null : { id: row.id, timeZone: row.time_zone, name: row.contact.name, email: row.contact.email };
}
