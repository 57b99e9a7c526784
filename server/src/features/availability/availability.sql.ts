import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { jsonColumn } from '../../platform/sql-values';
import type { Schedule } from './availability.rules';

/**
 * A doctor's weekly hours and days off as two columns of a raw-SQL read (`working_hours`,
 * `days_off`), for statements that check a time against them in the same round trip as the rest
 * (booking, reschedule). `doctor` is the alias of the doctors row in that statement.
 */
export function scheduleColumns(doctor: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'startMinute', h.start_minute, 'endMinute', h.end_minute)
                                    ORDER BY h.weekday, h.start_minute), '[]'::json)
             FROM doctor_working_hours h WHERE h.doctor_id = ${doctor}.id) AS working_hours,
          (SELECT coalesce(json_agg(to_char(o.day, 'YYYY-MM-DD')), '[]'::json) FROM doctor_days_off o WHERE o.doctor_id = ${doctor}.id) AS days_off`;
}

/** The zod shape of scheduleColumns (null when the statement found no doctor). */
export const ScheduleColumns = {
  working_hours: jsonColumn(
    z.array(z.object({ weekday: z.number().int(), startMinute: z.number().int(), endMinute: z.number().int() })),
  ).nullable(),
  days_off: jsonColumn(z.array(z.string())).nullable(),
};

/** The Schedule those columns describe, in the doctor's zone. */
export function scheduleFrom(timeZone: string, row: { working_hours: Schedule['intervals'] | null; days_off: string[] | null }): Schedule {
  return { timeZone, intervals: row.working_hours ?? [], daysOff: new Set(row.days_off ?? []) };
}

const CLEAR_WORKING_HOURS: Statement = {
  name: 'availability_clear_working_hours',
  text: 'DELETE FROM doctor_working_hours WHERE doctor_id = $1::uuid',
};

const ADD_WORKING_HOURS: Statement = {
  name: 'availability_add_working_hours',
  text: `
    INSERT INTO doctor_working_hours (doctor_id, weekday, start_minute, end_minute)
    SELECT $1::uuid, w.weekday, w.start_minute, w.end_minute
    FROM unnest($2::smallint[], $3::smallint[], $4::smallint[]) AS w(weekday, start_minute, end_minute)`,
};

/**
 * Replaces the doctor's whole week (empty: back to "any time"), in the caller's transaction: two
 * statements, since a row deleted and inserted again by one statement would meet its own key.
 */
export async function replaceWorkingHours(tx: Sql, doctorId: string, intervals: Schedule['intervals']): Promise<void> {
  await tx.query(CLEAR_WORKING_HOURS, [doctorId]);
  if (intervals.length === 0) return;
  await tx.query(ADD_WORKING_HOURS, [
    doctorId,
    intervals.map((interval) => interval.weekday),
    intervals.map((interval) => interval.startMinute),
    intervals.map((interval) => interval.endMinute),
  ]);
}

/** A day off (a local date, YYYY-MM-DD); a second time changes nothing. */
const ADD_DAY_OFF: Statement = {
  name: 'availability_add_day_off',
  text: 'INSERT INTO doctor_days_off (doctor_id, day) VALUES ($1::uuid, $2::date) ON CONFLICT DO NOTHING',
};

const REMOVE_DAY_OFF: Statement = {
  name: 'availability_remove_day_off',
  text: 'DELETE FROM doctor_days_off WHERE doctor_id = $1::uuid AND day = $2::date',
};

/** Adds (ADD_DAY_OFF) or removes (REMOVE_DAY_OFF) a day off, in the caller's transaction. */
export async function setDayOff(tx: Sql, doctorId: string, day: string, off: boolean): Promise<void> {
  await tx.query(off ? ADD_DAY_OFF : REMOVE_DAY_OFF, [doctorId, day]);
}

/** The doctor's weekly hours and days off, in the doctor's zone (`timeZone`, which the doctors' module knows). */
const SCHEDULE: Statement = {
  name: 'availability_schedule',
  text: `SELECT ${scheduleColumns('doctor')} FROM (SELECT $1::uuid AS id) AS doctor`,
};

const ScheduleRow = z.object(ScheduleColumns);

/** SCHEDULE, read on its own. */
export async function readSchedule(sql: Sql, doctorId: string, timeZone: string): Promise<Schedule> {
  const [raw] = await sql.query(SCHEDULE, [doctorId]);
  return scheduleFrom(timeZone, ScheduleRow.parse(raw));
}
