import { canActForDoctor, requireViewer, type Viewer } from '../../accounts/authorization';
import { forbidden, notFound } from '../../platform/errors';
import { formatLocalDate, localDateOf } from '../../platform/time-zones';
import { isUuid } from '../../platform/validation';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { Sql } from '../../platform/sql';
import type { DoctorService } from '../doctors/doctors.service';
import { readSchedule, replaceWorkingHours, setDayOff } from './availability.sql';
import {
  formatWallTime,
  freeSlots,
  validateDayOff,
  validateSlotQuery,
  validateWeeklyHours,
  type Schedule,
  type SlotQuery,
  type TimeRange,
} from './availability.rules';

/**
 * The times a doctor is taken in [from, to) (BOOKED or CHECKED_IN appointments, and live holds): the
 * appointments' module answers it, passed in by the composition root (appointments depend on
 * availability's rules, so this one cannot import them).
 */
export type BusyTimes = (doctorId: string, range: { readonly from: Date; readonly to: Date }) => Promise<TimeRange[]>;
import type { DoctorAvailability } from './availability.type';

/**
 * What this module asks of the practices' (passed in by the composition root, as BusyTimes):
 * a doctor's practice with its setting for doctors without hours, and the viewer's membership.
 */
export interface DoctorPractices {
  practiceOfDoctor(doctorId: string): Promise<{ readonly id: string; readonly bookableWithoutHours: boolean } | null>;
  membershipOf(viewer: Viewer): Promise<{ readonly practiceId: string; readonly admin: boolean } | null>;
}

const NOT_YOURS = 'Only the doctor or an admin of their practice can change their working hours.';

/** Doctors' working hours and days off, free slots, and the booking-time check against them. */
export class AvailabilityService {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly doctors: Pick<DoctorService, 'activeDoctor'>,
    private readonly busyTimes: BusyTimes,
    private readonly practices: DoctorPractices,
    private readonly clock: Clock,
  ) {}

  /** Any signed-in viewer may see when a doctor works (patients pick slots from it). */
  async doctorAvailability(viewer: Viewer | undefined, doctorId: string): Promise<DoctorAvailability> {
    requireViewer(viewer);
    const schedule = await this.loadSchedule(doctorId);
    const today = formatLocalDate(localDateOf(this.clock(), schedule.timeZone));
    return {
      timeZone: schedule.timeZone,
      weeklyHours: schedule.intervals.map((interval) => ({
        weekday: interval.weekday,
        startTime: formatWallTime(interval.startMinute),
        endTime: formatWallTime(interval.endMinute),
      })),
      daysOff: [...schedule.daysOff].filter((day) => day >= today).sort(),
    };
  }

  /** Replaces the doctor's whole week (empty: no hours). That doctor, or an admin of their practice. */
  async setWorkingHours(
    viewer: Viewer | undefined,
    doctorId: string,
    hours: ReadonlyArray<{ weekday: number; startTime: string; endTime: string }>,
  ): Promise<DoctorAvailability> {
    await this.assertCanManageHours(viewer, doctorId);
    const intervals = validateWeeklyHours(hours);
    await this.transactions.run((tx) => replaceWorkingHours(tx, doctorId, intervals));
    return this.doctorAvailability(viewer, doctorId);
  }

  /** Marks a local date (doctor's zone) as off; existing bookings that day stay. The doctor or an admin of their practice. Idempotent. */
  async addDayOff(viewer: Viewer | undefined, doctorId: string, date: string): Promise<DoctorAvailability> {
    await this.assertCanManageHours(viewer, doctorId);
    const day = formatLocalDate(validateDayOff(date));
    await this.transactions.run((tx) => setDayOff(tx, doctorId, day, true));
    return this.doctorAvailability(viewer, doctorId);
  }

  /** Works that date again. The doctor or an admin of their practice. Idempotent. */
  async removeDayOff(viewer: Viewer | undefined, doctorId: string, date: string): Promise<DoctorAvailability> {
    await this.assertCanManageHours(viewer, doctorId);
    const day = formatLocalDate(validateDayOff(date));
    await this.transactions.run((tx) => setDayOff(tx, doctorId, day, false));
    return this.doctorAvailability(viewer, doctorId);
  }

  /**
   * Free start times of the doctor in [from, to): inside working hours (any time without them, when
   * their practice allows it; none when it does not), not on a day off, after now, overlapping no
   * BOOKED or CHECKED_IN appointment. Any signed-in viewer.
   */
  async availableSlots(viewer: Viewer | undefined, doctorId: string, query: SlotQuery): Promise<Date[]> {
    requireViewer(viewer);
    const valid = validateSlotQuery(query);
    const schedule = await this.loadSchedule(doctorId);
    if (schedule.intervals.length === 0 && !(await this.practices.practiceOfDoctor(doctorId))?.bookableWithoutHours) return [];
    const busy = await this.busyTimes(doctorId, valid);
    return freeSlots(schedule, valid, busy, this.clock());
  }

  /**
   * Whether booking forms offer the doctor: one with working hours, or one without whose practice
   * allows it (Practice.bookableWithoutHours). Any signed-in viewer.
   */
  async isBookable(viewer: Viewer | undefined, doctorId: string): Promise<boolean> {
    requireViewer(viewer);
    const schedule = await this.loadSchedule(doctorId);
    if (schedule.intervals.length > 0) return true;
    return (await this.practices.practiceOfDoctor(doctorId))?.bookableWithoutHours ?? false;
  }

  /** The doctor themself, or an admin of the doctor's practice (a staff or doctor admin); FORBIDDEN otherwise. */
  private async assertCanManageHours(viewer: Viewer | undefined, doctorId: string): Promise<void> {
    const signedIn = requireViewer(viewer);
    if (canActForDoctor(signedIn, doctorId)) return;
    if (isUuid(doctorId)) {
      const [membership, practice] = await Promise.all([this.practices.membershipOf(signedIn), this.practices.practiceOfDoctor(doctorId)]);
      if (membership?.admin && practice && membership.practiceId === practice.id) return;
    }
    throw forbidden(NOT_YOURS);
  }

  /**
   * The times the doctor is booked (BOOKED or CHECKED_IN) overlapping [from, to): start and end
   * only, never whose (FHIR's busy Slots). Any signed-in viewer, as the free times; the same range
   * rules as availableSlots.
   */
  async bookedTimes(viewer: Viewer | undefined, doctorId: string, query: SlotQuery): Promise<TimeRange[]> {
    requireViewer(viewer);
    const valid = validateSlotQuery(query);
    await this.loadSchedule(doctorId);
    return [...(await this.busyTimes(doctorId, valid))].sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  private async loadSchedule(doctorId: string): Promise<Schedule> {
    if (!isUuid(doctorId)) throw notFound('Doctor');
    // A doctor removed from their practice is no longer bookable: unknown here, as to booking.
    const doctor = await this.doctors.activeDoctor(doctorId);
    if (!doctor) throw notFound('Doctor');
    return readSchedule(this.sql, doctorId, doctor.timeZone);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly availability: AvailabilityService;
  }
}
