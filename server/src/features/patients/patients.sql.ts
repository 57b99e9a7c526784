import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import type { PatientRow } from './patients.service';

/** A patient as events carry them: id, name, date of birth. */
const PATIENT: Statement = {
  name: 'patients_read',
  text: `
    SELECT p.id, u.name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth
    FROM patients p JOIN users u ON u.id = p.id WHERE p.id = $1::uuid`,
};

const PatientColumns = z.object({ id: z.string(), name: z.string(), date_of_birth: z.string().nullable() });

/** The patient (for an event's payload), read in the caller's transaction; null when there is none. */
export async function readPatient(sql: Sql, patientId: string): Promise<PatientRow | null> {
  const [raw] = await sql.query(PATIENT, [patientId]);
  if (raw === undefined) return null;
  const row = PatientColumns.parse(raw);
  return { id: row.id, dateOfBirth: row.date_of_birth === null ? null : new Date(`${row.date_of_birth}T00:00:00.000Z`), user: { name: row.name } };
}
