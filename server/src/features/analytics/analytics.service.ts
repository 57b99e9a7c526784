import { assertCanReceivePracticeEvent, requireViewer, type Viewer } from '../../accounts/authorization';
import type { EventStreams } from '../../live/event-streams';
import { practiceStream } from '../../live/streams';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { forbidden } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { AppointmentTopic } from '../appointments/appointments.events';
import {
  appointmentLeadTimes,
  appointmentMedians,
  appointmentStatusCounts,
  appointmentTallies,
  type StatsScope,
} from '../appointments/appointments.stats';
import type { Schedule, SlotQuery, TimeRange } from '../availability/availability.rules';
import { readSchedule } from '../availability/availability.sql';
import { doctorIdsOfPractice, doctorsOfPractice } from '../doctors/doctors.reads';
import type { Doctor } from '../doctors/doctors.type';
import type { PracticeMembers } from '../practices/practices.members';
import { deskRecheck, isDesk } from '../practices/practices.policy';
import { readPracticeName } from '../practices/practices.sql';
import {
  assemblePeriod,
  dayBuckets,
  LEAD_TIME_BUCKET_DAYS,
  meanOfKnown,
  previousRange,
  thirdNextAvailableDays,
  todayBoardOf,
  todayOf,
  THIRD_NEXT_HORIZON_DAYS,
  THIRD_NEXT_SLOT_MINUTES,
  validateAnalyticsRange,
  workingMinutes,
  type DayFigures,
  type PeriodAnalytics,
} from './analytics.rules';
import { SharedBoards } from './analytics.shared-boards';
import { boardFollowing } from './analytics.today';
import type { PracticeAnalytics, TodayBoard } from './analytics.type';

/** Free start times of a doctor (the availability module's availableSlots, passed in by the composition root). */
export type FreeSlots = (viewer: Viewer, doctorId: string, query: SlotQuery) => Promise<Date[]>;

const NOT_ALLOWED = "Only the practice's staff and admins see its analytics; a doctor of it sees their own (doctorId = their id).";
const DAY_MS = 86_400_000;

/** The scope of one request, read once and used for both periods. */
interface Scope {
  readonly timeZone: string;
  readonly doctors: readonly Doctor[];
  readonly practiceDoctorIds: readonly string[];
  readonly schedules: ReadonlyMap<string, Schedule>;
}

/** practiceAnalytics (a practice's figures over a range, and the same over the range before), its CSV days, and practiceToday. */
export class AnalyticsService {
  private readonly sql: Sql;
  private readonly periodSql: Sql;
  /** The practices' boards of today, one computation per change for all their subscribers here. */
  private readonly boards = new SharedBoards<TodayBoard>();

  /**
   * `sql.primary` reads what must be current (the practice, its schedules, practiceToday's board,
   * which follows each event); `sql.periods` the period figures of practiceAnalytics and the CSV
   * export: the read replica when DATABASE_REPLICA_URL is set (behind by its delay at most).
   */
  constructor(
    private readonly prisma: PrismaReader,
    sql: { readonly primary: Sql; readonly periods: Sql },
    private readonly members: PracticeMembers,
    private readonly freeSlots: FreeSlots,
    private readonly clock: Clock,
  ) {
    this.sql = sql.primary;
    this.periodSql = sql.periods;
  }

  /**
   * Every figure of API.md for appointments starting in [from, to) (at most 366 days; BAD_USER_INPUT
   * otherwise), of the practice's doctors or of `doctorId` alone. Its staff and admins; a doctor of
   * it only with doctorId = themself; anyone else FORBIDDEN (an unknown practice or a doctor not
   * of it too, so ids cannot be probed).
   */
  async practiceAnalytics(
    viewer: Viewer | undefined,
    practiceId: string,
    from: Date,
    to: Date,
    doctorId?: string | null,
  ): Promise<PracticeAnalytics> {
    const signedIn = await this.assertCanSee(viewer, practiceId, doctorId ?? null);
    const range = validateAnalyticsRange(from, to);
    const scope = await this.scopeOf(practiceId, doctorId ?? null);
    const now = this.clock();
    const [current, previous, access] = await Promise.all([
      this.period(scope, range, now),
      this.period(scope, previousRange(range), now),
      this.thirdNextAvailable(signedIn, scope, now),
    ]);
    const doctorsById = new Map(scope.doctors.map((doctor) => [doctor.id, doctor]));
    const toGraphQL = (figures: PeriodAnalytics, thirdNext: number | null, before: PracticeAnalytics | null): PracticeAnalytics => ({
      ...figures,
      thirdNextAvailableDays: thirdNext,
      leadTimes: figures.leadTimes.map((bucket) => ({ ...bucket })),
      byDay: figures.byDay.map((day) => ({ ...day })),
      byDoctor: figures.byDoctor.map(({ doctorId: id, ...rest }) => ({ doctor: doctorsById.get(id)!, ...rest })),
      previous: before,
    });
    // "From now" has no value for a past period: the previous one's is null.
    return toGraphQL(current, access, toGraphQL(previous, null, null));
  }

  /**
   * The byDay table of practiceAnalytics alone (GET /analytics/export.csv): the same rights, range
   * rules and definitions, without the previous period or third next available.
   */
  async dailyCounts(viewer: Viewer | undefined, practiceId: string, from: Date, to: Date, doctorId?: string | null): Promise<DayFigures[]> {
    await this.assertCanSee(viewer, practiceId, doctorId ?? null);
    const range = validateAnalyticsRange(from, to);
    const scope = await this.scopeOf(practiceId, doctorId ?? null);
    return (await this.period(scope, range, this.clock())).byDay;
  }

  /**
   * practiceToday: the board of today at once, then a fresh one after every booking or change
   * committed on the practice's stream (the same events as practicePatientAdded and
   * practiceAppointmentUpdated), never by polling. Its staff and admins; someone who leaves the
   * practice gets FORBIDDEN before the next board, and an expired session UNAUTHENTICATED, as on
   * the practice's other streams. Counts only: no event's patient data is passed on.
   */
  async practiceToday(
    viewer: Viewer | undefined,
    practiceId: string,
    events: Pick<EventStreams, 'subscribe'>,
  ): Promise<AsyncIterableIterator<TodayBoard>> {
    const signedIn = await this.assertCanSee(viewer, practiceId, null);
    const authorize = (_event: unknown, now: Date) => assertCanReceivePracticeEvent(signedIn, now);
    const stream = practiceStream(practiceId);
    const bookings = await events.subscribe({ stream, topic: AppointmentTopic.PracticePatientAdded, authorize });
    let changes: AsyncIterableIterator<unknown>;
    try {
      changes = await events.subscribe({ stream, topic: AppointmentTopic.PracticeAppointmentUpdated, authorize });
    } catch (error) {
      await bookings.return?.();
      throw error;
    }
    return boardFollowing(
      [bookings, changes],
      (wokenAt) => this.boards.board(practiceId, wokenAt, () => this.todayBoard(signedIn, practiceId)),
      deskRecheck(signedIn, practiceId, this.members),
      () => this.boards.mark(),
    );
  }

  /**
   * The board of today now: counts by status over the practice's doctors, and their free 30-minute
   * slots left today. The same for every viewer allowed to see it (`viewer` only signs the
   * free-slot reads), so subscribers share it.
   */
  private async todayBoard(viewer: Viewer, practiceId: string): Promise<TodayBoard> {
    const scope = await this.scopeOf(practiceId, null, false);
    const now = this.clock();
    const today = todayOf(now, scope.timeZone);
    const doctorIds = scope.doctors.map((doctor) => doctor.id);
    const slotsLeft: SlotQuery = { from: now, to: today.end, durationMinutes: THIRD_NEXT_SLOT_MINUTES };
    const [byStatus, open] = await Promise.all([
      appointmentStatusCounts(this.sql, doctorIds, { from: today.start, to: today.end }),
      Promise.all(doctorIds.map(async (doctorId) => (await this.freeSlots(viewer, doctorId, slotsLeft)).length)),
    ]);
    return todayBoardOf(
      today.date,
      byStatus,
      open.reduce((sum, count) => sum + count, 0),
    );
  }

  private async assertCanSee(viewer: Viewer | undefined, practiceId: string, doctorId: string | null): Promise<Viewer> {
    const signedIn = requireViewer(viewer);
    const membership = await this.members.membershipOf(signedIn);
    if (!membership || !isUuid(practiceId) || membership.practiceId !== practiceId) throw forbidden(NOT_ALLOWED);
    if (isDesk(membership, practiceId)) return signedIn;
    if (membership.role === 'DOCTOR' && doctorId === signedIn.userId) return signedIn;
    throw forbidden(NOT_ALLOWED);
  }

  /** The practice's zone, its doctors in scope (removed ones left out) and their schedules. */
  private async scopeOf(practiceId: string, doctorId: string | null, withSchedules = true): Promise<Scope> {
    const [practice, doctors, practiceDoctorIds] = await Promise.all([
      readPracticeName(this.sql, practiceId),
      doctorsOfPractice(this.prisma, practiceId),
      doctorIdsOfPractice(this.prisma, practiceId),
    ]);
    if (!practice) throw forbidden(NOT_ALLOWED);
    const inScope = doctorId === null ? doctors : doctors.filter((doctor) => doctor.id === doctorId);
    if (doctorId !== null && inScope.length === 0) throw forbidden(NOT_ALLOWED);
    const schedules = withSchedules ? await Promise.all(inScope.map((doctor) => readSchedule(this.sql, doctor.id, doctor.timeZone))) : [];
    return {
      timeZone: practice.timeZone,
      doctors: inScope,
      practiceDoctorIds,
      schedules: new Map(schedules.map((schedule, index) => [inScope[index]!.id, schedule])),
    };
  }

  /** One period from two aggregate statements and the doctors' schedules. */
  private async period(scope: Scope, range: TimeRange, now: Date): Promise<PeriodAnalytics> {
    const buckets = dayBuckets(range, scope.timeZone);
    const boundaries = [...buckets.map((bucket) => bucket.start), range.end];
    const statsScope: StatsScope = {
      doctorIds: scope.doctors.map((doctor) => doctor.id),
      practiceDoctorIds: scope.practiceDoctorIds,
      from: range.start,
      to: range.end,
    };
    const [tallies, medians, leadTimeCounts] = await Promise.all([
      appointmentTallies(this.periodSql, statsScope, boundaries, now),
      appointmentMedians(this.periodSql, statsScope),
      appointmentLeadTimes(this.periodSql, statsScope, LEAD_TIME_BUCKET_DAYS),
    ]);
    return assemblePeriod({
      buckets,
      doctorIds: statsScope.doctorIds,
      tallies: tallies.map(({ doctorId, day, ...tally }) => ({ doctorId, day, tally })),
      workingMinutes: new Map([...scope.schedules].map(([id, schedule]) => [id, workingMinutes(schedule, range)])),
      ...medians,
      leadTimeCounts,
      thirdNextAvailableDays: null,
    });
  }

  /** thirdNextAvailableDays: per doctor from availableSlots over THIRD_NEXT_HORIZON_DAYS; the mean of those that have one. */
  private async thirdNextAvailable(viewer: Viewer, scope: Scope, now: Date): Promise<number | null> {
    const query: SlotQuery = {
      from: now,
      to: new Date(now.getTime() + THIRD_NEXT_HORIZON_DAYS * DAY_MS),
      durationMinutes: THIRD_NEXT_SLOT_MINUTES,
    };
    const perDoctor = await Promise.all(
      scope.doctors.map(async (doctor) => thirdNextAvailableDays(await this.freeSlots(viewer, doctor.id, query), now)),
    );
    return meanOfKnown(perDoctor);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly analytics: AnalyticsService;
  }
}
