import { badUserInput, slotUnavailable } from '../../platform/errors';
import { EARLIEST_YEAR, isYearInRange, LATEST_YEAR } from '../../platform/validation';
import {
  addDays,
  formatLocalDate,
  isoWeekday,
  localDateOf,
  parseLocalDate,
  wallTimeToUtc,
  type LocalDate,
} from '../../platform/time-zones';

/** How long an appointment (and so a free slot) may be, in minutes; booking checks the same bounds. */
export const DEFAULT_DURATION_MINUTES = 30;
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 240;

/** One working interval of a weekday, in wall-clock minutes of the doctor's zone (end 1440 = midnight). */
export interface WorkingInterval {
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  readonly weekday: number;
  readonly startMinute: number;
  readonly endMinute: number;
}

/** What decides when a doctor can be booked. No intervals: any time (except days off). */
export interface Schedule {
  readonly timeZone: string;
  readonly intervals: readonly WorkingInterval[];
  /** Local dates "YYYY-MM-DD" in the doctor's zone. */
  readonly daysOff: ReadonlySet<string>;
}

export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** A week has at most this many intervals (four per day covers split shifts). */
export const MAX_INTERVALS = 28;
/** availableSlots looks at most this far in one call. */
export const MAX_SLOT_RANGE_DAYS = 31;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WALL_TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** "09:30" -> 570; "24:00" (only as an end) -> 1440; BAD_USER_INPUT otherwise. */
export function parseWallTime(text: string, field: string): number {
  const match = WALL_TIME.exec(text.trim());
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || minutes > 1440) throw badUserInput(`${field} must be a time "HH:MM" from 00:00 to 24:00.`, field);
  return minutes;
}

/** 570 -> "09:30" */
export function formatWallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Checks a whole week of hours: real weekdays, non-empty intervals, none overlapping on a day. */
export function validateWeeklyHours(input: ReadonlyArray<{ weekday: number; startTime: string; endTime: string }>): WorkingInterval[] {
  if (input.length > MAX_INTERVALS) throw badUserInput(`At most ${MAX_INTERVALS} intervals per week.`, 'hours');
  const intervals = input.map((entry) => {
    if (!Number.isInteger(entry.weekday) || entry.weekday < 1 || entry.weekday > 7) {
      throw badUserInput('weekday must be 1 (Monday) to 7 (Sunday).', 'weekday');
    }
    const startMinute = parseWallTime(entry.startTime, 'startTime');
    const endMinute = parseWallTime(entry.endTime, 'endTime');
    if (startMinute >= endMinute) throw badUserInput('endTime must be after startTime on the same day.', 'endTime');
    return { weekday: entry.weekday, startMinute, endMinute };
  });
  intervals.sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  intervals.forEach((interval, index) => {
    const previous = intervals[index - 1];
    if (previous && previous.weekday === interval.weekday && previous.endMinute > interval.startMinute) {
      throw badUserInput(`Intervals overlap on weekday ${interval.weekday}.`, 'hours');
    }
  });
  return intervals;
}

/** A day off "YYYY-MM-DD"; BAD_USER_INPUT unless it is a real date. */
export function validateDayOff(text: string): LocalDate {
  const date = parseLocalDate(text.trim());
  if (!date) throw badUserInput('date must be a calendar date "YYYY-MM-DD".', 'date');
  if (!isYearInRange(date.year)) throw badUserInput(`date must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}.`, 'date');
  return date;
}

/**
 * The instants the doctor works that touch [from, to), in order: each local day of the range in
 * the doctor's zone, its weekday's intervals turned into instants on that very day (so 09:00 is
 * 08:00 UTC before Paris springs forward and 07:00 UTC after). Without intervals, whole days.
 */
export function workingWindows(schedule: Schedule, range: TimeRange): TimeRange[] {
  const windows: TimeRange[] = [];
  const first = addDays(localDateOf(range.start, schedule.timeZone), -1);
  const last = addDays(localDateOf(range.end, schedule.timeZone), 1);
  const allDay = [{ startMinute: 0, endMinute: 1440 }];
  for (let date = first; formatLocalDate(date) <= formatLocalDate(last); date = addDays(date, 1)) {
    if (schedule.daysOff.has(formatLocalDate(date))) continue;
    const weekday = isoWeekday(date);
    const intervals = schedule.intervals.length === 0 ? allDay : schedule.intervals.filter((interval) => interval.weekday === weekday);
    for (const interval of intervals) {
      const start = wallTimeToUtc(date, interval.startMinute, schedule.timeZone);
      const end = wallTimeToUtc(date, interval.endMinute, schedule.timeZone);
      if (end > range.start && start < range.end) windows.push({ start, end });
    }
  }
  return mergeTouching(windows);
}

/** Joins windows that meet (22:00-24:00 then 00:00-02:00), so an appointment may span them. */
function mergeTouching(windows: TimeRange[]): TimeRange[] {
  const merged: TimeRange[] = [];
  for (const window of [...windows].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const previous = merged.at(-1);
    if (previous && previous.end.getTime() >= window.start.getTime()) {
      merged[merged.length - 1] = { start: previous.start, end: new Date(Math.max(previous.end.getTime(), window.end.getTime())) };
    } else {
      merged.push(window);
    }
  }
  return merged;
}

/** Whether [start, end) lies inside one working window (not on a day off). */
export function isWithinWorkingHours(schedule: Schedule, appointment: TimeRange): boolean {
  if (schedule.intervals.length === 0 && schedule.daysOff.size === 0) return true;
  return workingWindows(schedule, appointment).some((window) => window.start <= appointment.start && appointment.end <= window.end);
}

/** SLOT_UNAVAILABLE unless the appointment lies inside the doctor's working hours (isWithinWorkingHours). */
export function assertWithinWorkingHours(schedule: Schedule, appointment: TimeRange): void {
  if (!isWithinWorkingHours(schedule, appointment))
    throw slotUnavailable('The doctor does not work at that time. Please pick one of their free slots.');
}

export interface SlotQuery {
  readonly from: Date;
  readonly to: Date;
  readonly durationMinutes: number;
}

/** Checks availableSlots' arguments; BAD_USER_INPUT names the argument. */
export function validateSlotQuery(query: SlotQuery): SlotQuery {
  const { from, to, durationMinutes } = query;
  if (Number.isNaN(from.getTime())) throw badUserInput('from is not a valid date.', 'from');
  if (Number.isNaN(to.getTime()) || to <= from) throw badUserInput('to must be a date after from.', 'to');
  if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * DAY_MS) {
    throw badUserInput(`from and to may be at most ${MAX_SLOT_RANGE_DAYS} days apart.`, 'to');
  }
  if (!Number.isInteger(durationMinutes) || durationMinutes < MIN_DURATION_MINUTES || durationMinutes > MAX_DURATION_MINUTES) {
    throw badUserInput(
      `durationMinutes must be a whole number from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}.`,
      'durationMinutes',
    );
  }
  return query;
}

/**
 * Free start times: each working window cut into back-to-back slots of the duration from its start,
 * kept when the slot starts inside [from, to), after `now`, and overlaps no busy range.
 */
export function freeSlots(schedule: Schedule, query: SlotQuery, busy: readonly TimeRange[], now: Date): Date[] {
  const lengthMs = query.durationMinutes * MINUTE_MS;
  const overlapsBusy = busyIndex(busy);
  const slots: Date[] = [];
  for (const window of workingWindows(schedule, { start: query.from, end: query.to })) {
    for (let start = window.start.getTime(); start + lengthMs <= window.end.getTime(); start += lengthMs) {
      const end = start + lengthMs;
      if (start < query.from.getTime() || start >= query.to.getTime() || start <= now.getTime()) continue;
      if (overlapsBusy(start, end)) continue;
      slots.push(new Date(start));
    }
  }
  return slots;
}

/**
 * Whether [start, end) overlaps one of the ranges, in O(log n): the ranges sorted by start, and the
 * latest end among each prefix. A range overlaps when it starts before `end` and ends after
 * `start`; of those starting before `end` (a prefix), one ends after `start` exactly when the
 * prefix's latest end does. (A doctor's fully booked fortnight is hundreds of ranges, asked once
 * per candidate slot.)
 */
function busyIndex(busy: readonly TimeRange[]): (start: number, end: number) => boolean {
  const sorted = busy.map((range) => ({ start: range.start.getTime(), end: range.end.getTime() })).sort((a, b) => a.start - b.start);
  const latestEnd: number[] = [];
  for (const [i, range] of sorted.entries()) latestEnd.push(Math.max(range.end, latestEnd[i - 1] ?? -Infinity));
  return (start, end) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]!.start < end) low = middle + 1;
      else high = middle;
    }
    return low > 0 && latestEnd[low - 1]! > start;
  };
}
