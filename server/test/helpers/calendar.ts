// Calendar days derived from the real clock, for tests that book through a server (which refuses
// the past): a fixed date would stop passing once it has gone by. Plain UTC arithmetic, on purpose
// independent of src/platform/time-zones.ts, so a test can check that code against it.

/** A day of the UTC calendar. Month is 1-12. */
export interface UtcDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DAY_MS = 86_400_000;

const dayOf = (date: Date): UtcDay => ({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
const midnight = (day: UtcDay) => Date.UTC(day.year, day.month - 1, day.day);

/** The UTC day `days` after today's. */
export function daysFromNow(days: number, now: Date = new Date()): UtcDay {
  return addDays(dayOf(now), days);
}

export function addDays(day: UtcDay, days: number): UtcDay {
  return dayOf(new Date(midnight(day) + days * DAY_MS));
}

/** ISO weekday of the day: 1 = Monday ... 7 = Sunday. */
export function weekdayOf(day: UtcDay): number {
  return new Date(midnight(day)).getUTCDay() || 7;
}

/** The first day on or after `from` that falls on the ISO weekday. */
export function nextWeekday(weekday: number, from: UtcDay): UtcDay {
  return addDays(from, (weekday - weekdayOf(from) + 7) % 7);
}

/** The instant `HH:MM` UTC on that day. */
export function utcAt(day: UtcDay, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(midnight(day) + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000);
}

/** `yyyy-mm-dd`. */
export function isoDate(day: UtcDay): string {
  return new Date(midnight(day)).toISOString().slice(0, 10);
}

/**
 * The Sunday of the next European daylight-saving change in `month` (3: clocks go forward, 10: back;
 * both at 01:00 UTC on the last Sunday of the month) that is at least `minDaysAhead` days away.
 */
export function nextEuropeanClockChange(month: 3 | 10, minDaysAhead: number, now: Date = new Date()): UtcDay {
  const earliest = midnight(daysFromNow(minDaysAhead, now));
  for (let year = now.getUTCFullYear(); ; year += 1) {
    const lastOfMonth = dayOf(new Date(Date.UTC(year, month, 0)));
    const sunday = addDays(lastOfMonth, -(weekdayOf(lastOfMonth) % 7));
    if (midnight(sunday) >= earliest) return sunday;
  }
}
