import { z } from 'zod';
import { userNameOf } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';
import type { PatientRow } from './patients.service';

/**
 * The statements of the `patients` and `doctor_patients` tables, and the fragments other
 * modules' statements compose (the booking): this folder owns both tables, so only these name them.
 */

/**
 * The patient `id` as a derived table of at most one row: `id`, `name` (their account's) and
 * `date_of_birth` ('YYYY-MM-DD' text, or NULL), for `LEFT JOIN ${patientRow('$2::uuid')} p ON true`.
 * `id` is a SQL expression; it must not refer to an alias named `patient`. Decode with patientFrom.
 */
export function patientRow(id: string): string {
  return `(SELECT patient.id, ${userNameOf('patient.id')} AS name, to_char(patient.date_of_birth, 'YYYY-MM-DD') AS date_of_birth
           FROM patients patient WHERE patient.id = ${id})`;
}

/** A patient's date of birth as patientRow gives it: a date column, as text. */
function dateOfBirthFrom(text: string | null): Date | null {
  return text === null ? null : new Date(`${text}T00:00:00.000Z`);
}

/** The PatientRow of patientRow's columns. */
export function patientFrom(row: { readonly id: string; readonly name: string; readonly date_of_birth: string | null }): PatientRow {
  return { id: row.id, dateOfBirth: dateOfBirthFrom(row.date_of_birth), user: { name: row.name } };
}

/** A patient as events carry them: id, name, date of birth. */
const PATIENT: Statement = {
  name: 'patients_read',
  text: `SELECT p.id, p.name, p.date_of_birth FROM ${patientRow('$1::uuid')} p`,
};

const PatientColumns = z.object({ id: z.string(), name: z.string(), date_of_birth: z.string().nullable() });

/** The patient (for an event's payload), read in the caller's transaction; null when there is none. `patientId` must be a UUID. */
export async function readPatient(sql: Sql, patientId: string): Promise<PatientRow | null> {
  const [raw] = await sql.query(PATIENT, [patientId]);
  return raw === undefined ? null : patientFrom(PatientColumns.parse(raw));
}

/** A patient's profile, written with their account (the user row of the same id). */
const INSERT_PATIENT: Statement = {
  name: 'patients_insert',
  text: `
    INSERT INTO patients (id, date_of_birth) VALUES ($1::uuid, $2::date)
    RETURNING to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth`,
};

const InsertedPatient = z.object({ date_of_birth: z.string().nullable() });

/**
 * Writes the patient's profile in the caller's transaction. The date of birth is stored as the
 * UTC calendar day of `dateOfBirth`; the answer is that day, as it will be read back.
 */
export async function insertPatient(
  tx: Sql,
  patient: { readonly id: string; readonly dateOfBirth: Date | null },
): Promise<{ id: string; dateOfBirth: Date | null }> {
  const [raw] = await tx.query(INSERT_PATIENT, [patient.id, patient.dateOfBirth?.toISOString().slice(0, 10) ?? null]);
  return { id: patient.id, dateOfBirth: dateOfBirthFrom(InsertedPatient.parse(raw).date_of_birth) };
}

/**
 * The body of a data-modifying CTE that puts the patient on the doctor's list (doctor_patients)
 * once per row of `after` (a FROM item of the statement, e.g. the CTE that inserted the
 * appointment, so nothing is written unless it was): a first visit inserts the entry, a later one
 * moves `last_booked_at` forward. Returns one row, `first_visit`: true only when this statement
 * inserted the entry (`xmax = 0`; the upsert decides under the entry's row lock, so of two
 * concurrent first bookings one is the first visit). The other arguments are SQL expressions.
 */
export function doctorPatientUpsert(
  values: { readonly doctorId: string; readonly patientId: string; readonly bookedAt: string },
  after: string,
): string {
  return `INSERT INTO doctor_patients AS l (doctor_id, patient_id, first_booked_at, last_booked_at)
      SELECT ${values.doctorId}, ${values.patientId}, ${values.bookedAt}, ${values.bookedAt} FROM ${after}
      ON CONFLICT (doctor_id, patient_id) DO UPDATE SET last_booked_at = greatest(l.last_booked_at, EXCLUDED.last_booked_at)
      RETURNING (xmax = 0) AS first_visit`;
}
