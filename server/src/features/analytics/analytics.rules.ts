import { AppointmentStatus } from '../../generated/prisma/enums';
import { badUserInput } from '../../platform/errors';
import { addDays, formatLocalDate, localDateOf, wallTimeToUtc } from '../../platform/time-zones';
import { workingWindows, type Schedule, type TimeRange } from '../availability/availability.rules';
import type { Tally } from '../appointments/appointments.stats';

/**
 * The definitions of practiceAnalytics (shared/API.md "Analytics", docs/analytics.md), without
 * I/O. The database computes the per-appointment tests of `tallyOf` in SQL
 * (appointments/appointments.stats.ts); `analyticsOfHistory` is the reference that computes every
 * figure from a list of appointments, and the integration test checks the SQL against it.
 */

/** The longest range one request may cover (a year, leap day included). */
export const MAX_ANALYTICS_RANGE_DAYS = 366;
/** How far ahead thirdNextAvailableDays looks for free 30-minute slots (one availableSlots range). */
export const THIRD_NEXT_HORIZON_DAYS = 31;
/** The slot length of thirdNextAvailableDays. */
export const THIRD_NEXT_SLOT_MINUTES = 30;
/**
 * The lead-time distribution's buckets, by their first day: [0, 1) is booked for the same day or
 * the next 24 hours, and the last, [31, ∞), a month or more ahead. A booking made after its start
 * (a walk-in entered late) counts in the first.
 */
export const LEAD_TIME_BUCKET_DAYS: readonly number[] = [0, 1, 2, 4, 8, 15, 31];
/** A cancellation less than this long before the start is late. */
export const LATE_CANCELLATION_MS = 24 * 3_600_000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What the definitions read of one appointment (never its patient's name or reason). */
export interface AppointmentFacts {
  readonly id: string;
  readonly doctorId: string;
  readonly patientId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly createdAt: Date;
  /** Who booked: the patient's own user id (a patient's id is their user id), a staff member's, or null. */
  readonly createdById: string | null;
  readonly cancelledAt: Date | null;
  readonly checkedInAt: Date | null;
  readonly completedAt: Date | null;
  /** When the patient said they will come (confirmAppointment or a text reply), or null. */
  readonly confirmedAt: Date | null;
}

/** BAD_USER_INPUT unless from < to and the range is at most MAX_ANALYTICS_RANGE_DAYS long. */
export function validateAnalyticsRange(from: Date, to: Date): TimeRange {
  if (Number.isNaN(from.getTime())) throw badUserInput('from is not a valid date.', 'from');
  if (Number.isNaN(to.getTime()) || to.getTime() <= from.getTime()) throw badUserInput('to must be after from.', 'to');
  if (to.getTime() - from.getTime() > MAX_ANALYTICS_RANGE_DAYS * DAY_MS)
    throw badUserInput(`from and to may be at most ${MAX_ANALYTICS_RANGE_DAYS} days apart.`, 'to');
  return { start: from, end: to };
}

/** The range of the same length just before: [from - (to - from), from). */
export function previousRange(range: TimeRange): TimeRange {
  const length = range.end.getTime() - range.start.getTime();
  return { start: new Date(range.start.getTime() - length), end: range.start };
}

/** One calendar day of the practice's zone, cut to the range: appointments starting in [start, end) count on `date`. */
export interface DayBucket {
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
}

/**
 * Every local day of `timeZone` that [from, to) touches, in order, each cut to the range. A day
 * runs from its local midnight to the next (23 h on a spring-forward day, 25 h on a fall-back day).
 */
export function dayBuckets(range: TimeRange, timeZone: string): DayBucket[] {
  const buckets: DayBucket[] = [];
  const last = formatLocalDate(localDateOf(new Date(range.end.getTime() - 1), timeZone));
  for (let date = localDateOf(range.start, timeZone); formatLocalDate(date) <= last; date = addDays(date, 1)) {
    const start = wallTimeToUtc(date, 0, timeZone);
    const end = wallTimeToUtc(addDays(date, 1), 0, timeZone);
    buckets.push({
      date: formatLocalDate(date),
      start: start < range.start ? range.start : start,
      end: end > range.end ? range.end : end,
    });
  }
  return buckets;
}

export type { Tally };

export const EMPTY_TALLY: Tally = {
  appointments: 0,
  booked: 0,
  completed: 0,
  cancelled: 0,
  noShows: 0,
  lateCancelled: 0,
  bookedPast: 0,
  bookedMinutes: 0,
  selfBooked: 0,
  firstBookings: 0,
  confirmed: 0,
};

export function addTallies(a: Tally, b: Tally): Tally {
  return {
    appointments: a.appointments + b.appointments,
    booked: a.booked + b.booked,
    completed: a.completed + b.completed,
    cancelled: a.cancelled + b.cancelled,
    noShows: a.noShows + b.noShows,
    lateCancelled: a.lateCancelled + b.lateCancelled,
    bookedPast: a.bookedPast + b.bookedPast,
    bookedMinutes: a.bookedMinutes + b.bookedMinutes,
    selfBooked: a.selfBooked + b.selfBooked,
    firstBookings: a.firstBookings + b.firstBookings,
    confirmed: a.confirmed + b.confirmed,
  };
}

export function sumTallies(tallies: Iterable<Tally>): Tally {
  let total = EMPTY_TALLY;
  for (const tally of tallies) total = addTallies(total, tally);
  return total;
}

/** Not cancelled (a no-show was booked: it held its slot until it was marked). */
export function isBooked(appointment: Pick<AppointmentFacts, 'status'>): boolean {
  return appointment.status !== AppointmentStatus.CANCELLED;
}

/** Cancelled less than 24 h before its start (after the start too); without a cancellation time, not late. */
export function isLateCancellation(appointment: Pick<AppointmentFacts, 'status' | 'cancelledAt' | 'startsAt'>): boolean {
  return (
    appointment.status === AppointmentStatus.CANCELLED &&
    appointment.cancelledAt !== null &&
    appointment.startsAt.getTime() - appointment.cancelledAt.getTime() < LATE_CANCELLATION_MS
  );
}

/** Booked by the patient (created_by_id = the patient's user id) rather than by staff on their behalf. */
export function isSelfBooked(appointment: Pick<AppointmentFacts, 'createdById' | 'patientId'>): boolean {
  return appointment.createdById === appointment.patientId;
}

/**
 * The ids of the appointments that are their patient's first booking with the practice: the
 * earliest created (any status, ties by id) of the patient's appointments with its doctors.
 */
export function firstBookingIds(practiceHistory: readonly AppointmentFacts[]): Set<string> {
  const first = new Map<string, AppointmentFacts>();
  for (const appointment of practiceHistory) {
    const current = first.get(appointment.patientId);
    const earlier =
      !current ||
      appointment.createdAt.getTime() < current.createdAt.getTime() ||
      (appointment.createdAt.getTime() === current.createdAt.getTime() && appointment.id < current.id);
    if (earlier) first.set(appointment.patientId, appointment);
  }
  return new Set([...first.values()].map((appointment) => appointment.id));
}

/** The tally of these appointments at `now`; `firstBookings` from firstBookingIds of the practice's whole history. */
export function tallyOf(appointments: readonly AppointmentFacts[], now: Date, firstBookings: ReadonlySet<string>): Tally {
  let tally = EMPTY_TALLY;
  for (const appointment of appointments) {
    const booked = isBooked(appointment);
    tally = addTallies(tally, {
      appointments: 1,
      booked: booked ? 1 : 0,
      completed: appointment.status === AppointmentStatus.COMPLETED ? 1 : 0,
      cancelled: booked ? 0 : 1,
      noShows: appointment.status === AppointmentStatus.NO_SHOW ? 1 : 0,
      lateCancelled: isLateCancellation(appointment) ? 1 : 0,
      bookedPast: booked && appointment.startsAt.getTime() < now.getTime() ? 1 : 0,
      bookedMinutes: booked ? (appointment.endsAt.getTime() - appointment.startsAt.getTime()) / MINUTE_MS : 0,
      selfBooked: booked && isSelfBooked(appointment) ? 1 : 0,
      firstBookings: booked && firstBookings.has(appointment.id) ? 1 : 0,
      confirmed: booked && isConfirmedInTime(appointment) ? 1 : 0,
    });
  }
  return tally;
}

/** numerator / denominator, or null when the denominator is 0 (no data is not 0 %). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The median (the mean of the two middle values for an even count; PostgreSQL's percentile_cont(0.5)), null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A doctor's working-hour minutes in the range: their working windows (days off excluded, in the
 * doctor's zone, DST-correct) cut to the range. A doctor without weekly hours has none (0): "any
 * time" is not working time, so such a doctor is left out of utilization.
 */
export function workingMinutes(schedule: Schedule, range: TimeRange): number {
  if (schedule.intervals.length === 0) return 0;
  let total = 0;
  for (const window of workingWindows(schedule, range)) {
    const start = Math.max(window.start.getTime(), range.start.getTime());
    const end = Math.min(window.end.getTime(), range.end.getTime());
    if (end > start) total += end - start;
  }
  return total / MINUTE_MS;
}

/**
 * Pooled utilization: the booked minutes of the doctors who have working hours in the range over
 * the sum of those hours; null when none has any.
 */
export function pooledUtilization(
  doctors: ReadonlyArray<{ readonly bookedMinutes: number; readonly workingMinutes: number }>,
): number | null {
  const working = doctors.filter((doctor) => doctor.workingMinutes > 0);
  return ratio(
    working.reduce((sum, doctor) => sum + doctor.bookedMinutes, 0),
    working.reduce((sum, doctor) => sum + doctor.workingMinutes, 0),
  );
}

/**
 * Confirmed by the patient before the start (a confirmation is "I will come": one given after the
 * start, were it possible, would confirm nothing). A reschedule clears it, so it is always about
 * the current time.
 */
export function isConfirmedInTime(appointment: Pick<AppointmentFacts, 'confirmedAt' | 'startsAt'>): boolean {
  return appointment.confirmedAt !== null && appointment.confirmedAt.getTime() < appointment.startsAt.getTime();
}

/** confirmedShare: of booked appointments, those the patient confirmed before their start; null without any booked. */
export function confirmedShareOf(tally: Tally): number | null {
  return ratio(tally.confirmed, tally.booked);
}

/** thirdNextAvailableDays: from now to the start of the third free slot, in days; null without one. */
export function thirdNextAvailableDays(freeStarts: readonly Date[], now: Date): number | null {
  const third = [...freeStarts].sort((a, b) => a.getTime() - b.getTime())[2];
  return third === undefined ? null : (third.getTime() - now.getTime()) / DAY_MS;
}

/** The mean of the doctors' values that exist; null when none does. */
export function meanOfKnown(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length;
}

/** The figures of one period (API.md's PracticeAnalytics without byDay, byDoctor, previous). */
export interface Figures {
  readonly appointments: number;
  readonly booked: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly noShows: number;
  readonly lateCancelled: number;
  readonly noShowRate: number | null;
  readonly lateCancellationRate: number | null;
  readonly utilization: number | null;
  readonly medianLeadTimeDays: number | null;
  readonly thirdNextAvailableDays: number | null;
  readonly newPatientShare: number | null;
  readonly selfBookedShare: number | null;
  readonly confirmedShare: number | null;
  readonly medianCycleMinutes: number | null;
}

export interface DayFigures {
  readonly date: string;
  readonly appointments: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly noShows: number;
}

/** Booked appointments whose lead time (createdAt -> startsAt) is in [fromDays, toDays); toDays null for the last bucket. */
export interface LeadTimeBucket {
  readonly fromDays: number;
  readonly toDays: number | null;
  readonly booked: number;
}

/** The index into LEAD_TIME_BUCKET_DAYS of a lead time in days. */
export function leadTimeBucketOf(days: number): number {
  let index = 0;
  while (index + 1 < LEAD_TIME_BUCKET_DAYS.length && days >= LEAD_TIME_BUCKET_DAYS[index + 1]!) index += 1;
  return index;
}

/** The buckets from counts by index (a missing count is 0). */
export function leadTimeBuckets(counts: readonly number[]): LeadTimeBucket[] {
  return LEAD_TIME_BUCKET_DAYS.map((fromDays, index) => ({
    fromDays,
    toDays: LEAD_TIME_BUCKET_DAYS[index + 1] ?? null,
    booked: counts[index] ?? 0,
  }));
}

export interface DoctorFigures {
  readonly doctorId: string;
  readonly appointments: number;
  readonly noShowRate: number | null;
  readonly utilization: number | null;
}

export interface PeriodAnalytics extends Figures {
  readonly leadTimes: LeadTimeBucket[];
  readonly byDay: DayFigures[];
  readonly byDoctor: DoctorFigures[];
}

/** What one period's figures are made of: tallies per doctor and day, hours, medians, access. */
export interface PeriodParts {
  readonly buckets: readonly DayBucket[];
  /** The doctors in scope, in the order byDoctor lists them. */
  readonly doctorIds: readonly string[];
  /** Tallies by doctor and by index into `buckets` (missing: nothing). */
  readonly tallies: ReadonlyArray<{ readonly doctorId: string; readonly day: number; readonly tally: Tally }>;
  /** Working-hour minutes in the range, by doctor (workingMinutes). */
  readonly workingMinutes: ReadonlyMap<string, number>;
  readonly medianLeadTimeDays: number | null;
  /** Booked appointments by index into LEAD_TIME_BUCKET_DAYS (missing: none). */
  readonly leadTimeCounts: readonly number[];
  readonly medianCycleMinutes: number | null;
  readonly thirdNextAvailableDays: number | null;
}

/** The figures of a period from its parts: the one place the ratios are taken. */
export function assemblePeriod(parts: PeriodParts): PeriodAnalytics {
  const byDoctorTally = new Map<string, Tally>();
  const byDayTally = new Map<number, Tally>();
  for (const { doctorId, day, tally } of parts.tallies) {
    byDoctorTally.set(doctorId, addTallies(byDoctorTally.get(doctorId) ?? EMPTY_TALLY, tally));
    byDayTally.set(day, addTallies(byDayTally.get(day) ?? EMPTY_TALLY, tally));
  }
  const total = sumTallies(byDoctorTally.values());
  const hours = parts.doctorIds.map((doctorId) => ({
    doctorId,
    bookedMinutes: byDoctorTally.get(doctorId)?.bookedMinutes ?? 0,
    workingMinutes: parts.workingMinutes.get(doctorId) ?? 0,
  }));
  return {
    appointments: total.appointments,
    booked: total.booked,
    completed: total.completed,
    cancelled: total.cancelled,
    noShows: total.noShows,
    lateCancelled: total.lateCancelled,
    noShowRate: ratio(total.noShows, total.bookedPast),
    lateCancellationRate: ratio(total.lateCancelled, total.appointments),
    utilization: pooledUtilization(hours),
    medianLeadTimeDays: parts.medianLeadTimeDays,
    thirdNextAvailableDays: parts.thirdNextAvailableDays,
    newPatientShare: ratio(total.firstBookings, total.booked),
    selfBookedShare: ratio(total.selfBooked, total.booked),
    confirmedShare: confirmedShareOf(total),
    medianCycleMinutes: parts.medianCycleMinutes,
    leadTimes: leadTimeBuckets(parts.leadTimeCounts),
    byDay: parts.buckets.map((bucket, index) => {
      const tally = byDayTally.get(index) ?? EMPTY_TALLY;
      return {
        date: bucket.date,
        appointments: tally.appointments,
        completed: tally.completed,
        cancelled: tally.cancelled,
        noShows: tally.noShows,
      };
    }),
    byDoctor: hours.map(({ doctorId, bookedMinutes, workingMinutes: minutes }) => {
      const tally = byDoctorTally.get(doctorId) ?? EMPTY_TALLY;
      return {
        doctorId,
        appointments: tally.appointments,
        noShowRate: ratio(tally.noShows, tally.bookedPast),
        utilization: pooledUtilization([{ bookedMinutes, workingMinutes: minutes }]),
      };
    }),
  };
}

/** The index of the bucket an instant falls in, or -1 (outside the range). */
export function bucketIndexOf(buckets: readonly DayBucket[], instant: Date): number {
  return buckets.findIndex((bucket) => bucket.start <= instant && instant < bucket.end);
}

/**
 * The reference: every figure of one period computed from the practice's whole history of
 * appointments (any time, every doctor of the practice: first bookings need it) and the schedules
 * of the doctors in scope. The service gets the same from SQL aggregates; tests compare both.
 */
export function analyticsOfHistory(input: {
  readonly history: readonly AppointmentFacts[];
  readonly range: TimeRange;
  readonly now: Date;
  readonly timeZone: string;
  readonly doctorIds: readonly string[];
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly thirdNextAvailableDays?: number | null;
}): PeriodAnalytics {
  const { history, range, now, timeZone, doctorIds, schedules } = input;
  const firsts = firstBookingIds(history);
  const buckets = dayBuckets(range, timeZone);
  const inScope = history.filter(
    (appointment) => doctorIds.includes(appointment.doctorId) && appointment.startsAt >= range.start && appointment.startsAt < range.end,
  );
  const tallies = inScope.map((appointment) => ({
    doctorId: appointment.doctorId,
    day: bucketIndexOf(buckets, appointment.startsAt),
    tally: tallyOf([appointment], now, firsts),
  }));
  const booked = inScope.filter(isBooked);
  const leadDays = booked.map((appointment) => (appointment.startsAt.getTime() - appointment.createdAt.getTime()) / DAY_MS);
  const leadTimeCounts = LEAD_TIME_BUCKET_DAYS.map(() => 0);
  for (const days of leadDays) leadTimeCounts[leadTimeBucketOf(days)]! += 1;
  const cycles = inScope.filter(
    (appointment) => appointment.status === AppointmentStatus.COMPLETED && appointment.checkedInAt && appointment.completedAt,
  );
  return assemblePeriod({
    buckets,
    doctorIds,
    tallies,
    workingMinutes: new Map(
      doctorIds.map((doctorId) => [doctorId, schedules.has(doctorId) ? workingMinutes(schedules.get(doctorId)!, range) : 0]),
    ),
    medianLeadTimeDays: median(leadDays),
    leadTimeCounts,
    medianCycleMinutes: median(
      cycles.map((appointment) => (appointment.completedAt!.getTime() - appointment.checkedInAt!.getTime()) / MINUTE_MS),
    ),
    thirdNextAvailableDays: input.thirdNextAvailableDays ?? null,
  });
}

/** The header row of GET /analytics/export.csv (API.md). */
export const DAYS_CSV_HEADER = 'date,appointments,completed,cancelled,noShows';

/** byDay as CSV (RFC 4180: CRLF line ends, a header row); every cell is a date or a count, so nothing needs quoting. */
export function daysToCsv(days: readonly DayFigures[]): string {
  const rows = days.map((day) => [day.date, day.appointments, day.completed, day.cancelled, day.noShows].join(','));
  return [DAYS_CSV_HEADER, ...rows].join('\r\n') + '\r\n';
}

/** The whole local day of `timeZone` that `now` falls in: [local midnight, next local midnight). */
export function todayOf(now: Date, timeZone: string): DayBucket {
  const date = localDateOf(now, timeZone);
  return { date: formatLocalDate(date), start: wallTimeToUtc(date, 0, timeZone), end: wallTimeToUtc(addDays(date, 1), 0, timeZone) };
}

/** The desk's board of today (API.md TodayBoard): today's appointments by their current status. */
export interface TodayCounts {
  readonly date: string;
  readonly booked: number;
  readonly checkedIn: number;
  readonly completed: number;
  readonly noShows: number;
  readonly cancelled: number;
  /** Free 30-minute slots left today (from now) over the practice's doctors. */
  readonly openSlots: number;
}

/** The board from today's counts by status and the free slots left. */
export function todayBoardOf(date: string, byStatus: ReadonlyMap<AppointmentStatus, number>, openSlots: number): TodayCounts {
  const of = (status: AppointmentStatus) => byStatus.get(status) ?? 0;
  return {
    date,
    booked: of(AppointmentStatus.BOOKED),
    checkedIn: of(AppointmentStatus.CHECKED_IN),
    completed: of(AppointmentStatus.COMPLETED),
    noShows: of(AppointmentStatus.NO_SHOW),
    cancelled: of(AppointmentStatus.CANCELLED),
    openSlots,
  };
}
