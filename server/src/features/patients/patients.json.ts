import { z } from 'zod';
import type { Patient } from './patients.type';
import type { PatientRow } from './patients.service';

/** A patient as events carry them (name and date of birth, the date as an ISO string). */
export const PatientJson = z.object({
  id: z.string(),
  name: z.string(),
  dateOfBirth: z.iso.datetime().nullable(),
});
export type PatientJson = z.infer<typeof PatientJson>;

export function serializePatient(row: PatientRow): PatientJson {
  return { id: row.id, name: row.user.name, dateOfBirth: row.dateOfBirth?.toISOString() ?? null };
}

export function toPatientFromJson(json: PatientJson): Patient {
  return { id: json.id, name: json.name, dateOfBirth: json.dateOfBirth ? new Date(json.dateOfBirth) : null };
}
