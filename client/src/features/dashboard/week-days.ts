// The days of a doctor's week in the doctor's own time zone (not the browser's): "YYYY-MM-DD"
// dates and the instants where each day starts there, daylight saving included.
import { zonedInstant } from '../availability/zoned-time';

/** "YYYY-MM-DD" of the instant `at` in `zone`. */
export function localDate(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const value = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${value('year')}-${value('month')}-${value('day')}`;
}

/** The date `days` after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}

/** The Monday on or before `date`. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export interface WeekDay {
  readonly date: string;
  readonly from: Date;
  readonly to: Date;
}

/** Seven days from `start`, each with its bounds in `zone`. */
export function weekFrom(start: string, zone: string): WeekDay[] {
  return Array.from({ length: 7 }, (_, index) => {
    const date = addDays(start, index);
    return { date, from: zonedInstant(date, '00:00', zone), to: zonedInstant(addDays(date, 1), '00:00', zone) };
  });
}
