import { z } from 'zod';
import { userContact, UserContact } from '../../accounts/users.sql';
import type { Sql, Statement } from '../../platform/sql';

/**
 * A scalar subquery for another module's statement: the practice of the doctor `doctorId` names
 * (an SQL expression of type uuid), NULL when there is no such doctor. The table is qualified by
 * its own name, which no caller's alias can shadow (only this module names it).
 */
export function doctorPracticeId(doctorId: string): string {
  return `(SELECT doctors.practice_id FROM doctors WHERE doctors.id = ${doctorId})`;
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
export async function readDoctorContact(sql: Sql, doctorId: string): Promise<{ id: string; timeZone: string; name: string; email: string } | null> {
  const [raw] = await sql.query(DOCTOR_CONTACT, [doctorId]);
  if (raw === undefined) return null;
  const row = ContactRow.parse(raw);
  return row.contact === null ? null : { id: row.id, timeZone: row.time_zone, name: row.contact.name, email: row.contact.email };
}
