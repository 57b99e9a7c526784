import { addDays, formatLocalDate, localDateOf, wallTimeToUtc, type LocalDate } from '../../platform/time-zones';

const HOUR_MS = 3_600_000;

/**
 * When the reminder of an appointment starting at `startsAt` is due, or undefined when that time
 * has already passed at booking (a visit booked for tomorrow morning gets its confirmation only).
 */
export function reminderDueAt(startsAt: Date, hoursBefore: number, now: Date): Date | undefined {
  const due = new Date(startsAt.getTime() - hoursBefore * HOUR_MS);
  return due.getTime() > now.getTime() ? due : undefined;
}

/**
 * The next daily agenda of a doctor: the local date and the instant at which the doctor's clock
 * shows `minuteOfDay` on it, the first such instant after `now`.
 */
export function nextAgendaAt(now: Date, timeZone: string, minuteOfDay: number): { readonly date: string; readonly at: Date } {
  const today: LocalDate = localDateOf(now, timeZone);
  for (const day of [today, addDays(today, 1), addDays(today, 2)]) {
    const at = wallTimeToUtc(day, minuteOfDay, timeZone);
    if (at.getTime() > now.getTime()) return { date: formatLocalDate(day), at };
  }
  // Unreachable: two days ahead is always after now.
  throw new Error('no agenda time found');
}

/** The instants bounding a local day in the zone: [start, end). */
export function localDayRange(date: LocalDate, timeZone: string): { readonly start: Date; readonly end: Date } {
  return { start: wallTimeToUtc(date, 0, timeZone), end: wallTimeToUtc(addDays(date, 1), 0, timeZone) };
}
