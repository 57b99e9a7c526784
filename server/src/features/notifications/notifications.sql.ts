import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { appointmentExists } from '../appointments/appointments.sql';

/** The writes of the notifications module's own tables: calendar sequences and mail preferences. */

/**
 * One more version of an appointment's calendar entry: the first change inserts 1, each later
 * one adds 1. Only for an appointment that exists (a hand-written event about none writes
 * nothing: no row back).
 */
const BUMP_CALENDAR_SEQUENCE: Statement = {
  name: 'notifications_bump_calendar_sequence',
  text: `
    INSERT INTO appointment_calendar_sequences (appointment_id, sequence)
    SELECT $1::uuid, 1 WHERE ${appointmentExists('$1::uuid')}
    ON CONFLICT (appointment_id) DO UPDATE SET sequence = appointment_calendar_sequences.sequence + 1
    RETURNING sequence`,
};

const SequenceRow = z.object({ sequence: z.number().int() });

/** Bumps the appointment's SEQUENCE in the caller's transaction; undefined when there is no such appointment. */
export async function bumpCalendarSequence(sql: Sql, appointmentId: string): Promise<number | undefined> {
  const [row] = await sql.query(BUMP_CALENDAR_SEQUENCE, [appointmentId]);
  return row === undefined ? undefined : SequenceRow.parse(row).sequence;
}

/** A patient's mail choices as they are after a change. */
export interface Preferences {
  readonly confirmations: boolean;
  readonly reminders: boolean;
}

/**
 * Sets the choices given (NULL: unchanged; a patient without a row starts from everything on),
 * in one statement whether the row exists or not.
 */
const UPSERT_PREFERENCES: Statement = {
  name: 'notifications_upsert_preferences',
  text: `
    INSERT INTO notification_preferences AS np (patient_id, confirmations, reminders, updated_at)
    VALUES ($1::uuid, coalesce($2::boolean, true), coalesce($3::boolean, true), $4::timestamptz)
    ON CONFLICT (patient_id) DO UPDATE
      SET confirmations = coalesce($2::boolean, np.confirmations), reminders = coalesce($3::boolean, np.reminders), updated_at = $4::timestamptz
    RETURNING confirmations, reminders`,
};

const PreferencesRow = z.object({ confirmations: z.boolean(), reminders: z.boolean() });

/** Writes the patient's choices (undefined: left as they are) in the caller's transaction, and returns them all. */
export async function upsertPreferences(
  sql: Sql,
  patientId: string,
  changes: { readonly confirmations?: boolean; readonly reminders?: boolean },
  now: Date,
): Promise<Preferences> {
  const [raw] = await sql.query(UPSERT_PREFERENCES, [
    patientId,
    changes.confirmations ?? null,
    changes.reminders ?? null,
    now.toISOString(),
  ]);
  return PreferencesRow.parse(raw);
}
