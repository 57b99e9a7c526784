import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { accountActive } from '../../accounts/users.sql';
import { doctorPracticeId } from '../doctors/doctors.sql';
import type { Practice } from './practices.type';

/**
 * The statements of the `practices`, `staff_members` and `practice_patients` tables, and the
 * fragments other modules' statements compose (the booking, an appointment change): this folder
 * owns them, so only these name them. Invitations have theirs in invitations.sql.ts.
 */

/** A new practice, with no members yet. */
const INSERT_PRACTICE: Statement = {
  name: 'practices_insert',
  text: 'INSERT INTO practices (name, time_zone) VALUES ($1::text, $2::text) RETURNING id, name, time_zone, bookable_without_hours',
};

const PracticeColumns = z.object({ id: z.string(), name: z.string(), time_zone: z.string(), bookable_without_hours: z.boolean() });

/** Creates the practice (name and zone checked by the caller) in the caller's transaction. */
export async function insertPractice(tx: Sql, practice: { readonly name: string; readonly timeZone: string }): Promise<Practice> {
  const [raw] = await tx.query(INSERT_PRACTICE, [practice.name, practice.timeZone]);
  const row = PracticeColumns.parse(raw);
  return { id: row.id, name: row.name, timeZone: row.time_zone, bookableWithoutHours: row.bookable_without_hours };
}

/** A staff member's profile, written with their account (the user row of the same id). */
const INSERT_STAFF_MEMBER: Statement = {
  name: 'practices_insert_staff_member',
  text: 'INSERT INTO staff_members (id, practice_id, admin) VALUES ($1::uuid, $2::uuid, $3::boolean)',
};

/** Writes the staff member's profile in the caller's transaction. */
export async function insertStaffMember(
  tx: Sql,
  member: { readonly id: string; readonly practiceId: string; readonly admin: boolean },
): Promise<void> {
  await tx.query(INSERT_STAFF_MEMBER, [member.id, member.practiceId, member.admin]);
}

/**
 * The staff member `id` as a derived table of at most one row (`practice_id`, `admin`), for
 * `LEFT JOIN ${staffMemberRow('$3::uuid')} s ON true`: no row when `id` is not staff. `id` is a
 * SQL expression; it must not refer to an alias named `staff`. Decode with staffMembership.
 */
export function staffMemberRow(id: string): string {
  return `(SELECT staff.practice_id, staff.admin FROM staff_members staff WHERE staff.id = ${id})`;
}

/** The user ids of the front desk of the practice `practiceId` (a SQL expression), as a subquery (`IN (...)`, or a derived table with an alias). */
export function practiceStaffIds(practiceId: string): string {
  return `(SELECT staff.id FROM staff_members staff WHERE staff.practice_id = ${practiceId})`;
}

/** The name of the practice `id` (a SQL expression) as a scalar subquery; NULL when there is no such practice. */
export function practiceNameOf(id: string): string {
  return `(SELECT practice.name FROM practices practice WHERE practice.id = ${id})`;
}

/** The zone of the practice `id` (a SQL expression) as a scalar subquery; NULL when there is no such practice. */
export function practiceTimeZoneOf(id: string): string {
  return `(SELECT practice.time_zone FROM practices practice WHERE practice.id = ${id})`;
}

/**
 * The body of a data-modifying CTE that puts the patient on the practice's list
 * (practice_patients) once per row of `after` (a FROM item of the statement, e.g. the CTE that
 * inserted the appointment, so nothing is written unless it was), and marks them as having booked.
 * Returns a row only when this statement made it their first booking with the practice: it
 * inserted the entry, or flipped `booked` on the entry of a patient who had joined by invitation
 * (the conflict's row lock decides races: the one that writes is the first visit). The other
 * arguments are SQL expressions.
 */
export function practicePatientInsert(
  values: { readonly practiceId: string; readonly patientId: string; readonly bookedAt: string },
  after: string,
): string {
  return `INSERT INTO practice_patients AS listed (practice_id, patient_id, first_booked_at)
      SELECT ${values.practiceId}, ${values.patientId}, ${values.bookedAt} FROM ${after}
      ON CONFLICT (practice_id, patient_id) DO UPDATE SET booked = true WHERE NOT listed.booked
      RETURNING 1`;
}

/**
 * A condition for another module's statement: the patient is one of the practice's (booked with
 * one of its doctors, or accepted its invitation). Both arguments are SQL expressions of type
 * uuid; a NULL practice is nobody's. One primary-key probe.
 */
export function patientOfPractice(practiceId: string, patientId: string): string {
  return `EXISTS (SELECT 1 FROM practice_patients listed WHERE listed.practice_id = ${practiceId} AND listed.patient_id = ${patientId})`;
}

/**
 * A patient joins the practice's list by its invitation: a new entry (not booked yet), or the
 * invitation recorded on the entry of a patient who had booked (the first link is kept).
 */
const LINK_PATIENT: Statement = {
  name: 'practices_link_patient',
  text: `
    INSERT INTO practice_patients AS listed (practice_id, patient_id, first_booked_at, booked, linked_at, invitation_id)
    VALUES ($1::uuid, $2::uuid, $4::timestamptz, false, $4::timestamptz, $3::uuid)
    ON CONFLICT (practice_id, patient_id) DO UPDATE
      SET linked_at = coalesce(listed.linked_at, EXCLUDED.linked_at), invitation_id = coalesce(listed.invitation_id, EXCLUDED.invitation_id)`,
};

/** LINK_PATIENT in the caller's transaction (the invitation's claim). */
export async function linkPatient(
  tx: Sql,
  link: { readonly practiceId: string; readonly patientId: string; readonly invitationId: string; readonly at: Date },
): Promise<void> {
  await tx.query(LINK_PATIENT, [link.practiceId, link.patientId, link.invitationId, link.at.toISOString()]);
}

/** Where a staff member belongs, and whether they may invite. */
const STAFF_PLACEMENT: Statement = {
  name: 'practices_staff_placement',
  text: `SELECT s.practice_id, s.admin FROM ${staffMemberRow('$1::uuid')} s`,
};

const PlacementRow = z.object({ practice_id: z.string(), admin: z.boolean() });

/** The staff member's practice and admin flag, or null when they are not staff. `staffId` must be a UUID. */
export async function readStaffPlacement(sql: Sql, staffId: string): Promise<{ practiceId: string; admin: boolean } | null> {
  const [raw] = await sql.query(STAFF_PLACEMENT, [staffId]);
  if (raw === undefined) return null;
  const row = PlacementRow.parse(raw);
  return { practiceId: row.practice_id, admin: row.admin };
}

/** The practice a doctor belongs to, with its zone. */
const PRACTICE_OF_DOCTOR: Statement = {
  name: 'practices_of_doctor',
  text: `SELECT p.id, p.time_zone, p.bookable_without_hours FROM practices p WHERE p.id = ${doctorPracticeId('$1::uuid')}`,
};

const PracticeOfDoctorRow = z.object({ id: z.string(), time_zone: z.string(), bookable_without_hours: z.boolean() });

/** A doctor's practice as other modules need it: its zone, and whether its doctors without hours are bookable. */
export interface PracticeOfDoctor {
  readonly id: string;
  readonly timeZone: string;
  readonly bookableWithoutHours: boolean;
}

/** The doctor's practice, or null when there is no such doctor. `doctorId` must be a UUID. */
export async function readPracticeOfDoctor(sql: Sql, doctorId: string): Promise<PracticeOfDoctor | null> {
  const [raw] = await sql.query(PRACTICE_OF_DOCTOR, [doctorId]);
  if (raw === undefined) return null;
  const row = PracticeOfDoctorRow.parse(raw);
  return { id: row.id, timeZone: row.time_zone, bookableWithoutHours: row.bookable_without_hours };
}

const SET_BOOKABLE_WITHOUT_HOURS: Statement = {
  name: 'practices_set_bookable_without_hours',
  text: 'UPDATE practices SET bookable_without_hours = $2::boolean WHERE id = $1::uuid',
};

/** Writes the practice's bookableWithoutHours setting in the caller's transaction. */
export async function setBookableWithoutHours(tx: Sql, practiceId: string, allowed: boolean): Promise<void> {
  await tx.query(SET_BOOKABLE_WITHOUT_HOURS, [practiceId, allowed]);
}

/** A practice's name and zone (what mail on its behalf is written with). */
const PRACTICE_NAME: Statement = {
  name: 'practices_name',
  text: `SELECT name, time_zone FROM practices WHERE id = $1::uuid`,
};

const NameRow = z.object({ name: z.string(), time_zone: z.string() });

/** The practice's name and time zone; null when there is no such practice. `practiceId` must be a UUID. */
export async function readPracticeName(sql: Sql, practiceId: string): Promise<{ name: string; timeZone: string } | null> {
  const [raw] = await sql.query(PRACTICE_NAME, [practiceId]);
  if (raw === undefined) return null;
  const row = NameRow.parse(raw);
  return { name: row.name, timeZone: row.time_zone };
}

/** Locks the practice's row for a membership change: removals of one practice take turns (the last-admin rule holds under races). */
const LOCK_PRACTICE: Statement = {
  name: 'practices_lock',
  text: 'SELECT id FROM practices WHERE id = $1::uuid FOR UPDATE',
};

/** LOCK_PRACTICE in the caller's transaction; false when there is no such practice. */
export async function lockPractice(tx: Sql, practiceId: string): Promise<boolean> {
  return (await tx.query(LOCK_PRACTICE, [practiceId])).length === 1;
}

/** How many admins the practice has among its staff but `$2`, removed ones left out. */
const OTHER_STAFF_ADMINS: Statement = {
  name: 'practices_other_staff_admins',
  text: `SELECT count(*)::int AS admins FROM staff_members s
         WHERE s.practice_id = $1::uuid AND s.admin AND s.id <> $2::uuid AND ${accountActive('s.id')}`,
};

const AdminCount = z.object({ admins: z.number().int() });

/** OTHER_STAFF_ADMINS in the caller's transaction. */
export async function countOtherStaffAdmins(tx: Sql, practiceId: string, exceptId: string): Promise<number> {
  const [raw] = await tx.query(OTHER_STAFF_ADMINS, [practiceId, exceptId]);
  return AdminCount.parse(raw).admins;
}

/** A removed staff member leaves the practice (their account stays, deactivated, for history). */
const DELETE_STAFF_MEMBER: Statement = {
  name: 'practices_delete_staff_member',
  text: 'DELETE FROM staff_members WHERE id = $1::uuid AND practice_id = $2::uuid',
};

/** DELETE_STAFF_MEMBER in the caller's transaction. */
export async function deleteStaffMember(tx: Sql, staffId: string, practiceId: string): Promise<void> {
  await tx.query(DELETE_STAFF_MEMBER, [staffId, practiceId]);
}
