import { z } from 'zod';
import { AppointmentStatus } from '../../generated/prisma/enums';
import type { Sql, Statement } from '../../platform/sql';

/**
 * Aggregates of appointments for analytics (features/analytics): counts and medians only, never a
 * patient or a reason. Both statements read the appointments of the given doctors starting in
 * [from, to) by the (doctor_id, starts_at) index, one range scan per doctor; the first-booking test
 * reads each patient's earliest appointments by the (patient_id, created_at) index. The conditions
 * mirror analytics.rules.ts (tallyOf), which the analytics integration test checks them against.
 * A hold (status HELD) is not an appointment: every statement leaves it out.
 */

/**
 * Sums by doctor and by day: `$4` the day boundaries in order (n days: n + 1 instants), so
 * width_bucket gives the day's number from 1. `$5` every doctor of the practice (removed ones too):
 * a first booking is the patient's earliest created appointment with any of them, ties by id,
 * found once per patient in the range by the (patient_id, created_at) index.
 */
const TALLIES: Statement = {
  name: 'appointments_stats_tallies',
  text: `
    WITH scoped AS (
      SELECT a.id, a.doctor_id, a.patient_id, a.status, a.starts_at, a.ends_at, a.cancelled_at, a.confirmed_at,
             a.created_by_id = a.patient_id AS self_booked,
             width_bucket(a.starts_at, $4::timestamptz[]) AS bucket
      FROM appointments a
      WHERE a.doctor_id = ANY($1::uuid[]) AND a.starts_at >= $2::timestamptz AND a.starts_at < $3::timestamptz
        AND a.status <> 'HELD'
    ),
    firsts AS (
      SELECT first.id
      FROM (SELECT DISTINCT patient_id FROM scoped) AS patient
      CROSS JOIN LATERAL (
        SELECT p.id FROM appointments p
        WHERE p.patient_id = patient.patient_id AND p.doctor_id = ANY($5::uuid[]) AND p.status <> 'HELD'
        ORDER BY p.created_at, p.id
        LIMIT 1
      ) AS first
    )
    SELECT s.doctor_id::text AS doctor_id, s.bucket::int AS bucket,
           count(*)::int AS appointments,
           (count(*) FILTER (WHERE s.status <> 'CANCELLED'))::int AS booked,
           (count(*) FILTER (WHERE s.status = 'COMPLETED'))::int AS completed,
           (count(*) FILTER (WHERE s.status = 'CANCELLED'))::int AS cancelled,
           (count(*) FILTER (WHERE s.status = 'NO_SHOW'))::int AS no_shows,
           (count(*) FILTER (WHERE s.status = 'CANCELLED' AND s.cancelled_at > s.starts_at - interval '24 hours'))::int AS late_cancelled,
           (count(*) FILTER (WHERE s.status <> 'CANCELLED' AND s.starts_at < $6::timestamptz))::int AS booked_past,
           coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at)) FILTER (WHERE s.status <> 'CANCELLED'), 0)::float8 / 60 AS booked_minutes,
           (count(*) FILTER (WHERE s.status <> 'CANCELLED' AND s.self_booked))::int AS self_booked,
           (count(*) FILTER (WHERE s.status <> 'CANCELLED' AND f.id IS NOT NULL))::int AS first_bookings,
           (count(*) FILTER (WHERE s.status <> 'CANCELLED' AND s.confirmed_at < s.starts_at))::int AS confirmed
    FROM scoped s LEFT JOIN firsts f ON f.id = s.id
    GROUP BY s.doctor_id, s.bucket`,
};

/** Medians over the same appointments: lead time of booked ones (days), check-in to completion of completed ones (minutes). */
const MEDIANS: Statement = {
  name: 'appointments_stats_medians',
  text: `
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM starts_at - created_at)::float8 / 86400)
             FILTER (WHERE status <> 'CANCELLED') AS median_lead_time_days,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - checked_in_at)::float8 / 60)
             FILTER (WHERE status = 'COMPLETED' AND checked_in_at IS NOT NULL AND completed_at IS NOT NULL) AS median_cycle_minutes
    FROM appointments
    WHERE doctor_id = ANY($1::uuid[]) AND starts_at >= $2::timestamptz AND starts_at < $3::timestamptz AND status <> 'HELD'`,
};

/**
 * Booked appointments by lead time (createdAt -> startsAt, in days; one booked after its start
 * counts as 0): `$4` the buckets' first days in order, so width_bucket numbers them from 1.
 */
const LEAD_TIMES: Statement = {
  name: 'appointments_stats_lead_times',
  text: `
    SELECT width_bucket(greatest(extract(epoch FROM starts_at - created_at)::float8 / 86400, 0), $4::float8[]) AS bucket,
           count(*)::int AS booked
    FROM appointments
    WHERE doctor_id = ANY($1::uuid[]) AND starts_at >= $2::timestamptz AND starts_at < $3::timestamptz
      AND status <> 'HELD' AND status <> 'CANCELLED'
    GROUP BY 1`,
};

const count = z.number().int();
const TallyRow = z.object({
  doctor_id: z.string(),
  bucket: count,
  appointments: count,
  booked: count,
  completed: count,
  cancelled: count,
  no_shows: count,
  late_cancelled: count,
  booked_past: count,
  booked_minutes: z.coerce.number(),
  self_booked: count,
  first_bookings: count,
  confirmed: count,
});
const MedianRow = z.object({
  median_lead_time_days: z.coerce.number().nullable(),
  median_cycle_minutes: z.coerce.number().nullable(),
});

/** The sums every figure is made of, over some set of appointments (starting in the range). */
export interface Tally {
  /** Every status. */
  readonly appointments: number;
  /** Not cancelled: BOOKED, CHECKED_IN, COMPLETED or NO_SHOW. */
  readonly booked: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly noShows: number;
  /** Cancelled less than 24 h before their start (isLateCancellation). */
  readonly lateCancelled: number;
  /** Booked ones whose start has passed (noShowRate's denominator). */
  readonly bookedPast: number;
  /** Booked ones' scheduled minutes (endsAt - startsAt). */
  readonly bookedMinutes: number;
  /** Booked ones the patient booked themself. */
  readonly selfBooked: number;
  /** Booked ones that are their patient's first booking with the practice. */
  readonly firstBookings: number;
  /** Booked ones the patient confirmed before their start (isConfirmedInTime). */
  readonly confirmed: number;
}

/** One doctor's tally of one day. */
export interface AppointmentTally extends Tally {
  readonly doctorId: string;
  /** The index into the day boundaries: 0 for the first day. */
  readonly day: number;
}

export interface StatsScope {
  /** The doctors counted. */
  readonly doctorIds: readonly string[];
  /** Every doctor of their practice, removed ones included (first bookings are with the practice). */
  readonly practiceDoctorIds: readonly string[];
  readonly from: Date;
  readonly to: Date;
}

/** TALLIES: `dayStarts` are the days' first instants followed by the last day's end; `now` decides which starts have passed. */
export async function appointmentTallies(sql: Sql, scope: StatsScope, dayStarts: readonly Date[], now: Date): Promise<AppointmentTally[]> {
  if (scope.doctorIds.length === 0) return [];
  const rows = await sql.query(TALLIES, [
    [...scope.doctorIds],
    scope.from,
    scope.to,
    dayStarts.map((instant) => instant.toISOString()),
    [...scope.practiceDoctorIds],
    now,
  ]);
  return rows.map((raw) => {
    const row = TallyRow.parse(raw);
    return {
      doctorId: row.doctor_id,
      day: row.bucket - 1,
      appointments: row.appointments,
      booked: row.booked,
      completed: row.completed,
      cancelled: row.cancelled,
      noShows: row.no_shows,
      lateCancelled: row.late_cancelled,
      bookedPast: row.booked_past,
      bookedMinutes: row.booked_minutes,
      selfBooked: row.self_booked,
      firstBookings: row.first_bookings,
      confirmed: row.confirmed,
    };
  });
}

/** MEDIANS (null where no appointment qualifies). */
export async function appointmentMedians(
  sql: Sql,
  scope: StatsScope,
): Promise<{ medianLeadTimeDays: number | null; medianCycleMinutes: number | null }> {
  if (scope.doctorIds.length === 0) return { medianLeadTimeDays: null, medianCycleMinutes: null };
  const [raw] = await sql.query(MEDIANS, [[...scope.doctorIds], scope.from, scope.to]);
  const row = MedianRow.parse(raw);
  return { medianLeadTimeDays: row.median_lead_time_days, medianCycleMinutes: row.median_cycle_minutes };
}

const LeadTimeRow = z.object({ bucket: count, booked: count });

/** LEAD_TIMES: booked appointments by index into `bucketStartDays` (an index without any is 0). */
export async function appointmentLeadTimes(sql: Sql, scope: StatsScope, bucketStartDays: readonly number[]): Promise<number[]> {
  const counts = bucketStartDays.map(() => 0);
  if (scope.doctorIds.length === 0) return counts;
  const rows = await sql.query(LEAD_TIMES, [[...scope.doctorIds], scope.from, scope.to, [...bucketStartDays]]);
  for (const raw of rows) {
    const row = LeadTimeRow.parse(raw);
    counts[row.bucket - 1] = row.booked;
  }
  return counts;
}

/** How many of the doctors' appointments starting in [from, to) are in each status (the desk's board of today). */
const STATUS_COUNTS: Statement = {
  name: 'appointments_stats_status_counts',
  text: `
    SELECT status::text AS status, count(*)::int AS count
    FROM appointments
    WHERE doctor_id = ANY($1::uuid[]) AND starts_at >= $2::timestamptz AND starts_at < $3::timestamptz AND status <> 'HELD'
    GROUP BY status`,
};

const StatusCountRow = z.object({ status: z.enum(AppointmentStatus), count });

/** STATUS_COUNTS; a status without appointments is absent. */
export async function appointmentStatusCounts(
  sql: Sql,
  doctorIds: readonly string[],
  range: { readonly from: Date; readonly to: Date },
): Promise<Map<AppointmentStatus, number>> {
  if (doctorIds.length === 0) return new Map();
  const rows = await sql.query(STATUS_COUNTS, [[...doctorIds], range.from, range.to]);
  return new Map(rows.map((raw) => StatusCountRow.parse(raw)).map((row) => [row.status, row.count]));
}
