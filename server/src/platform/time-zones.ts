/**
 * Wall-clock time in IANA time zones with the runtime's Intl data only. A doctor's 09:00 is a
 * local time; these turn it into instants and back, right across daylight-saving changes.
 */

/** A calendar date with no time zone: the local day of some zone. Month is 1-12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall clock at an instant, read as if it were UTC (milliseconds). */
function wallClockMs(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
}

/**
 * Offsets by 15-minute stretch of UTC, per zone: reading the zone's clock (formatToParts) costs
 * microseconds, and working windows and analytics ask for the same few offsets thousands of times
 * a request. A stretch is kept only when its first and last second have the same offset; a zone
 * changes its offset months apart, never twice in 15 minutes, so the offset is then the same all
 * through it. Stretches with a change inside are read exactly each time.
 */
const OFFSET_STRETCH_MS = 15 * MINUTE_MS;
const MAX_CACHED_STRETCHES = 100_000;
const offsets = new Map<string, number>();

/** How far the zone's clock is ahead of UTC at that instant, in milliseconds (Paris in summer: +2 h). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const stretch = Math.floor(utcMs / OFFSET_STRETCH_MS);
  const key = `${timeZone} ${stretch}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const first = exactOffsetMs(stretch * OFFSET_STRETCH_MS, timeZone);
  const last = exactOffsetMs((stretch + 1) * OFFSET_STRETCH_MS - 1000, timeZone);
  if (first !== last) return exactOffsetMs(utcMs, timeZone);
  if (offsets.size >= MAX_CACHED_STRETCHES) offsets.clear();
  offsets.set(key, first);
  return first;
}

function exactOffsetMs(utcMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(utcMs / 1000) * 1000;
  return wallClockMs(wholeSecond, timeZone) - wholeSecond;
}

/** The local date in the zone at that instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** "2027-03-28" */
export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** "2027-03-28" -> a LocalDate, or undefined when it is not a real calendar date. */
export function parseLocalDate(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return formatLocalDate(addDays(date, 0)) === text ? date : undefined;
}

/**
 * The instant when the zone's clock shows `minuteOfDay` on `date` (1440 = midnight ending the day).
 * A time skipped by a spring-forward change resolves to the same distance after the change (02:30
 * on Paris's change day is 03:30 CEST); a time repeated by a fall-back change resolves to its first
 * occurrence. The same choices as Temporal's default ("compatible").
 */
export function wallTimeToUtc(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  const offsetBefore = zoneOffsetMs(wall - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter((utc) => utc + zoneOffsetMs(utc, timeZone) === wall);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(wall - offsetBefore);
}
