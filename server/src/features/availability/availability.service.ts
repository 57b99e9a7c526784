import { assertCanActForDoctor, requireViewer, type Viewer } from '../../accounts/authorization';
import { notFound } from '../../platform/errors';
import { formatLocalDate, localDateOf } from '../../platform/time-zones';
import { isUuid } from '../../platform/validation';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { AppointmentStatus } from '../../generated/prisma/enums';
import {
  formatWallTime,
  freeSlots,
  assertWithinWorkingHours,
  validateDayOff,
  validateSlotQuery,
  validateWeeklyHours,
  type Schedule,
  type SlotQuery,
  type TimeRange,
} from './availability.rules';
import type { DoctorAvailability } from './availability.type';

const NOT_YOURS = 'You can only change your own working hours.';

/** Doctors' working hours and days off, free slots, and the booking-time check against them. */
export class AvailabilityService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Any signed-in viewer may see when a doctor works (patients pick slots from it). */
  async doctorAvailability(viewer: Viewer | undefined, doctorId: string): Promise<DoctorAvailability> {
    requireViewer(viewer);
    const schedule = await this.loadSchedule(this.prisma, doctorId);
    const today = formatLocalDate(localDateOf(new Date(), schedule.timeZone));
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

  /** Replaces the doctor's whole week (empty: back to "any time"). Only that doctor. */
  async setWorkingHours(
    viewer: Viewer | undefined,
    doctorId: string,
    hours: ReadonlyArray<{ weekday: number; startTime: string; endTime: string }>,
  ): Promise<DoctorAvailability> {
    assertCanActForDoctor(viewer, doctorId, NOT_YOURS);
    const intervals = validateWeeklyHours(hours);
    await this.prisma.$transaction([
      this.prisma.workingHours.deleteMany({ where: { doctorId } }),
      this.prisma.workingHours.createMany({ data: intervals.map((interval) => ({ doctorId, ...interval })) }),
    ]);
    return this.doctorAvailability(viewer, doctorId);
  }

  /** Marks a local date (doctor's zone) as off; existing bookings that day stay. Only that doctor. Idempotent. */
  async addDayOff(viewer: Viewer | undefined, doctorId: string, date: string): Promise<DoctorAvailability> {
    assertCanActForDoctor(viewer, doctorId, NOT_YOURS);
    const day = new Date(`${formatLocalDate(validateDayOff(date))}T00:00:00Z`);
    await this.prisma.dayOff.createMany({ data: [{ doctorId, day }], skipDuplicates: true });
    return this.doctorAvailability(viewer, doctorId);
  }

  /** Works that date again. Only that doctor. Idempotent. */
  async removeDayOff(viewer: Viewer | undefined, doctorId: string, date: string): Promise<DoctorAvailability> {
    assertCanActForDoctor(viewer, doctorId, NOT_YOURS);
    const day = new Date(`${formatLocalDate(validateDayOff(date))}T00:00:00Z`);
    await this.prisma.dayOff.deleteMany({ where: { doctorId, day } });
    return this.doctorAvailability(viewer, doctorId);
  }

  /**
   * Free start times of the doctor in [from, to): inside working hours (any time without them), not
   * on a day off, after now, overlapping no BOOKED or CHECKED_IN appointment. Any signed-in viewer.
   */
  async availableSlots(viewer: Viewer | undefined, doctorId: string, query: SlotQuery): Promise<Date[]> {
    requireViewer(viewer);
    const valid = validateSlotQuery(query);
    const schedule = await this.loadSchedule(this.prisma, doctorId);
    const booked = await this.prisma.appointment.findMany({
      where: { doctorId, status: { in: [AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN] }, startsAt: { lt: valid.to }, endsAt: { gt: valid.from } },
      select: { startsAt: true, endsAt: true },
    });
    const busy = booked.map((row) => ({ start: row.startsAt, end: row.endsAt }));
    return freeSlots(schedule, valid, busy, new Date());
  }

  /**
   * SLOT_UNAVAILABLE when the doctor has hours and the appointment falls outside them or on a day
   * off. Runs inside the booking (or rescheduling) transaction; overlaps are the exclusion
   * constraints' job, not this check's.
   */
  async assertWithinWorkingHours(tx: Prisma.TransactionClient, doctorId: string, appointment: TimeRange): Promise<void> {
    assertWithinWorkingHours(await this.loadSchedule(tx, doctorId), appointment);
  }

  private async loadSchedule(db: Prisma.TransactionClient, doctorId: string): Promise<Schedule> {
    if (!isUuid(doctorId)) throw notFound('Doctor');
    const doctor = await db.doctor.findUnique({
      where: { id: doctorId },
      select: {
        timeZone: true,
        workingHours: { select: { weekday: true, startMinute: true, endMinute: true }, orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }] },
        daysOff: { select: { day: true } },
      },
    });
    if (!doctor) throw notFound('Doctor');
    return {
      timeZone: doctor.timeZone,
      intervals: doctor.workingHours,
      daysOff: new Set(doctor.daysOff.map((row) => row.day.toISOString().slice(0, 10))),
    };
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly availability: AvailabilityService;
  }
}
