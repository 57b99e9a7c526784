import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { WorkingHoursInput } from './availability.input';
import { DEFAULT_DURATION_MINUTES } from './availability.rules';
import { DoctorAvailability } from './availability.type';

@Resolver()
export class AvailabilityResolver {
  @Query(() => DoctorAvailability, { description: "A doctor's working hours and upcoming days off. Any signed-in account." })
  doctorAvailability(@Arg('doctorId', () => ID) doctorId: string, @Ctx() ctx: RequestContext): Promise<DoctorAvailability> {
    return ctx.services.availability.doctorAvailability(ctx.viewer, doctorId);
  }

  @Query(() => [Date], {
    description:
      'Free start times in [from, to) (at most 31 days): working windows cut into back-to-back slots of durationMinutes, minus past times, days off and BOOKED or CHECKED_IN appointments. A doctor without working hours is open around the clock. Any signed-in account.',
  })
  availableSlots(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('durationMinutes', () => Int, {
      nullable: true,
      defaultValue: DEFAULT_DURATION_MINUTES,
      description: 'From 5 to 240; default 30.',
    })
    durationMinutes: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Date[]> {
    return ctx.services.availability.availableSlots(ctx.viewer, doctorId, {
      from,
      to,
      durationMinutes: durationMinutes ?? DEFAULT_DURATION_MINUTES,
    });
  }

  @Mutation(() => DoctorAvailability, {
    description:
      "Replaces the doctor's weekly hours (in their time zone). Once set, booking or rescheduling outside them is SLOT_UNAVAILABLE; an empty list accepts any time again. Only that doctor.",
  })
  setWorkingHours(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('hours', () => [WorkingHoursInput]) hours: WorkingHoursInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.setWorkingHours(ctx.viewer, doctorId, hours);
  }

  @Mutation(() => DoctorAvailability, {
    description: 'Marks a local date "YYYY-MM-DD" (doctor\'s zone) as a day off. Existing bookings stay. Only that doctor.',
  })
  addDayOff(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('date') date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.addDayOff(ctx.viewer, doctorId, date);
  }

  @Mutation(() => DoctorAvailability, { description: 'Works a day off again. Only that doctor.' })
  removeDayOff(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('date') date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.removeDayOff(ctx.viewer, doctorId, date);
  }
}
