import { z } from 'zod';
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
  text: 'SELECT practice_id, admin FROM doctors WHERE id = $1::uuid',
};

const PlacementRow = z.object({ practice_id: z.string(), admin: z.boolean() });

/** The doctor's practice and admin flag, or null when there is no such doctor. `doctorId` must be a UUID. */
export async function readDoctorPlacement(sql: Sql, doctorId: string): Promise<{ practiceId: string; admin: boolean } | null> {
  const [raw] = await sql.query(DOCTOR_PLACEMENT, [doctorId]);
  if (raw === undefined) return null;
  const row = PlacementRow.parse(raw);
  return { practiceId: row.practice_id, admin: row.admin };
}
