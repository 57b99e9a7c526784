import { z } from 'zod';
import { PermanentJobError } from '../../jobs/job-types';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import { isUuid } from '../../platform/validation';

/** Who an appointment's mail goes to, and the names and zone it is written with. */
export interface AppointmentParties {
  readonly appointmentId: string;
  readonly status: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly patient: { readonly id: string; readonly name: string; readonly email: string };
  readonly doctor: { readonly id: string; readonly name: string; readonly email: string };
  /** The zone times are written in for the patient: the practice's (API.md). */
  readonly timeZone: string;
  readonly preferences: { readonly confirmations: boolean; readonly reminders: boolean };
}

/**
 * An appointment with its patient, doctor, the practice's zone and the patient's preferences, in
 * one statement (through the ORM it was six: one per relation, for every mail the worker sends).
 */
const APPOINTMENT_PARTIES: Statement = {
  name: 'notifications_appointment_parties',
  text: `
    SELECT a.id, a.status::text AS status, a.starts_at, a.ends_at,
           a.patient_id, pu.name AS patient_name, pu.email AS patient_email,
           a.doctor_id, du.name AS doctor_name, du.email AS doctor_email,
           pr.time_zone, np.confirmations, np.reminders
    FROM appointments a
    JOIN users pu ON pu.id = a.patient_id
    JOIN users du ON du.id = a.doctor_id
    JOIN doctors d ON d.id = a.doctor_id
    JOIN practices pr ON pr.id = d.practice_id
    LEFT JOIN notification_preferences np ON np.patient_id = a.patient_id
    WHERE a.id = $1::uuid`,
};

const PartiesRow = z.object({
  id: z.string(),
  status: z.string(),
  starts_at: timestamp,
  ends_at: timestamp,
  patient_id: z.string(),
  patient_name: z.string(),
  patient_email: z.string(),
  doctor_id: z.string(),
  doctor_name: z.string(),
  doctor_email: z.string(),
  time_zone: z.string(),
  confirmations: z.boolean().nullable(),
  reminders: z.boolean().nullable(),
});

/** Reads an appointment with its parties; a missing one is permanent (nothing to mail about). */
export async function loadAppointmentParties(sql: Sql, appointmentId: string): Promise<AppointmentParties> {
  const [raw] = isUuid(appointmentId) ? await sql.query(APPOINTMENT_PARTIES, [appointmentId]) : [];
  if (raw === undefined) throw new PermanentJobError('the appointment does not exist');
  const row = PartiesRow.parse(raw);
  return {
    appointmentId: row.id,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    patient: { id: row.patient_id, name: row.patient_name, email: row.patient_email },
    doctor: { id: row.doctor_id, name: row.doctor_name, email: row.doctor_email },
    timeZone: row.time_zone,
    // No row of preferences: the defaults (everything on).
    preferences: { confirmations: row.confirmations ?? true, reminders: row.reminders ?? true },
  };
}
