import { z } from 'zod';
import { userContact, UserContact } from '../../accounts/users.sql';
import { PermanentJobError } from '../../jobs/job-types';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import { isUuid } from '../../platform/validation';
import { appointmentById } from '../appointments/appointments.sql';
import { doctorPracticeId } from '../doctors/doctors.sql';
import { practiceNameOf, practiceTimeZoneOf } from '../practices/practices.sql';
import { Channel } from './notification-settings.sql';
import { optedOutSql } from './sms.sql';

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
  /** The doctor's practice (its name signs texts; its monthly SMS budget pays for them). */
  readonly practice: { readonly id: string; readonly name: string };
  /** The patient's channels (EMAIL when they never chose), phone, SMS consent and opt-out. */
  readonly channels: readonly Channel[];
  readonly phone: string | null;
  readonly smsConsent: boolean;
  readonly smsOptedOut: boolean;
}

/**
 * An appointment with its patient, doctor, the practice's zone and the patient's preferences, in
 * one statement (through the ORM it was six: one per relation, for every mail the worker sends),
 * composed of the owners' fragments: the appointment, the users' names and addresses, the
 * doctor's practice and its zone.
 */
const APPOINTMENT_PARTIES: Statement = {
  name: 'notifications_appointment_parties',
  text: `
    WITH a AS (${appointmentById('$1::uuid')})
    SELECT a.id, a.status, a.starts_at, a.ends_at, a.patient_id, a.doctor_id,
           ${userContact('a.patient_id')} AS patient, ${userContact('a.doctor_id')} AS doctor,
           ${practiceTimeZoneOf(doctorPracticeId('a.doctor_id'))} AS time_zone,
           ${doctorPracticeId('a.doctor_id')} AS practice_id, ${practiceNameOf(doctorPracticeId('a.doctor_id'))} AS practice_name,
           np.confirmations, np.reminders,
           ns.channels::text[] AS channels, ns.phone, ns.sms_consent_at IS NOT NULL AS sms_consent,
           ${optedOutSql('ns.phone')} AS sms_opted_out
    FROM a
    LEFT JOIN notification_preferences np ON np.patient_id = a.patient_id
    LEFT JOIN notification_settings ns ON ns.user_id = a.patient_id`,
};

const PartiesRow = z.object({
  id: z.string(),
  status: z.string(),
  starts_at: timestamp,
  ends_at: timestamp,
  patient_id: z.string(),
  doctor_id: z.string(),
  patient: UserContact,
  doctor: UserContact,
  time_zone: z.string().nullable(),
  practice_id: z.string().nullable(),
  practice_name: z.string().nullable(),
  confirmations: z.boolean().nullable(),
  reminders: z.boolean().nullable(),
  channels: z.array(z.enum(Channel)).nullable(),
  phone: z.string().nullable(),
  sms_consent: z.boolean(),
  sms_opted_out: z.boolean(),
});

/** Why the patient is not texted about this appointment, or undefined when they are (SMS chosen, a phone, consent, not opted out). */
export function whyNoText(parties: AppointmentParties): string | undefined {
  if (!parties.channels.includes(Channel.SMS)) return 'the patient did not choose SMS';
  if (parties.phone === null || !parties.smsConsent) return 'the patient has no phone or no consent to texts';
  if (parties.smsOptedOut) return 'the number opted out (STOP)';
  return undefined;
}

/**
 * Whether the patient gets this appointment's mail: they chose EMAIL, or they chose SMS and cannot
 * be texted (texts are off on this server, no consent, the number opted out), so mail stands in.
 */
export function wantsMail(parties: AppointmentParties, textsEnabled: boolean): boolean {
  if (parties.channels.includes(Channel.EMAIL)) return true;
  return parties.channels.includes(Channel.SMS) && (!textsEnabled || whyNoText(parties) !== undefined);
}

/** Reads an appointment with its parties; a missing one is permanent (nothing to mail about). */
export async function loadAppointmentParties(sql: Sql, appointmentId: string): Promise<AppointmentParties> {
  const [raw] = isUuid(appointmentId) ? await sql.query(APPOINTMENT_PARTIES, [appointmentId]) : [];
  if (raw === undefined) throw new PermanentJobError('the appointment does not exist');
  const row = PartiesRow.parse(raw);
  // The foreign keys make these exist; a row without them is as permanent as a missing appointment.
  if (row.patient === null || row.doctor === null || row.time_zone === null || row.practice_id === null || row.practice_name === null)
    throw new PermanentJobError('the appointment has no patient, doctor or practice');
  return {
    appointmentId: row.id,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    patient: { id: row.patient_id, name: row.patient.name, email: row.patient.email },
    doctor: { id: row.doctor_id, name: row.doctor.name, email: row.doctor.email },
    timeZone: row.time_zone,
    // No row of preferences: the defaults (everything on).
    preferences: { confirmations: row.confirmations ?? true, reminders: row.reminders ?? true },
    practice: { id: row.practice_id, name: row.practice_name },
    // No row of settings: EMAIL only.
    channels: row.channels ?? [Channel.EMAIL],
    phone: row.phone,
    smsConsent: row.sms_consent,
    smsOptedOut: row.sms_opted_out,
  };
}
