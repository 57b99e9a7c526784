// The periods the analytics page offers, as [from, to) instants on the practice's midnights, so
// the first and last of byDay's days are whole days of the practice's zone (the server counts days
// in that zone too). Plain Intl: no time-zone library for a date and a midnight.
import { zonedInstant } from '../availability/zoned-time';

export interface PeriodChoice {
  readonly key: string;
  readonly label: string;
  /** Days in the period. */
  readonly days: number;
  /** Ending with today (the last N days), or starting with tomorrow (bookings ahead). */
  readonly ahead: boolean;
}

export const PERIODS: readonly PeriodChoice[] = [
  { key: '7', label: 'Last 7 days', days: 7, ahead: false },
  { key: '31', label: 'Last 31 days', days: 31, ahead: false },
  { key: '90', label: 'Last 90 days', days: 90, ahead: false },
  { key: 'next31', label: 'Next 31 days', days: 31, ahead: true },
];

/** "YYYY-MM-DD" of the instant `at` in `zone`. */
export function dateIn(at: Date, zone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The calendar date `days` after `date` ("YYYY-MM-DD"). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}

/**
 * The period as ISO instants for the API: the last `days` days up to the end of today (today
 * included), or the `days` days from tomorrow's midnight; midnights of `zone`, DST-correct.
 */
export function periodRange(choice: PeriodChoice, zone: string, now: Date = new Date()): { from: string; to: string } {
  const tomorrow = addDays(dateIn(now, zone), 1);
  const [first, next] = choice.ahead ? [tomorrow, addDays(tomorrow, choice.days)] : [addDays(tomorrow, -choice.days), tomorrow];
  return { from: zonedInstant(first, '00:00', zone).toISOString(), to: zonedInstant(next, '00:00', zone).toISOString() };
}
