import { z } from 'zod';
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
  working_hours: jsonColumn(z.array(z.object({ weekday: z.number().int(), startMinute: z.number().int(), endMinute: z.number().int() }))).nullable(),
  days_off: jsonColumn(z.array(z.string())).nullable(),
};

/** The Schedule those columns describe, in the doctor's zone. */
export function scheduleFrom(timeZone: string, row: { working_hours: Schedule['intervals'] | null; days_off: string[] | null }): Schedule {
  return { timeZone, intervals: row.working_hours ?? [], daysOff: new Set(row.days_off ?? []) };
}
