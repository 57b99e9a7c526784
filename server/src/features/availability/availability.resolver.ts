import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Doctor } from '../doctors/doctors.type';
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
      'Free start times in [from, to) (at most 31 days): working windows cut into back-to-back slots of durationMinutes, minus past times, days off and BOOKED or CHECKED_IN appointments. A doctor without working hours is open around the clock when their practice allows it (Practice.bookableWithoutHours), else has none. Any signed-in account.',
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
      "Replaces the doctor's weekly hours (in their time zone). Once set, booking or rescheduling outside them is SLOT_UNAVAILABLE; an empty list removes them (any time when the practice allows it, else not bookable). The doctor or an admin of their practice.",
  })
  setWorkingHours(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('hours', () => [WorkingHoursInput]) hours: WorkingHoursInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.setWorkingHours(ctx.viewer, doctorId, hours);
  }

  @Mutation(() => DoctorAvailability, {
    description:
      'Marks a local date "YYYY-MM-DD" (doctor\'s zone) as a day off. Existing bookings stay. The doctor or an admin of their practice.',
  })
  addDayOff(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('date') date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.addDayOff(ctx.viewer, doctorId, date);
  }

  @Mutation(() => DoctorAvailability, { description: 'Works a day off again. The doctor or an admin of their practice.' })
  removeDayOff(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('date') date: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DoctorAvailability> {
    return ctx.services.availability.removeDayOff(ctx.viewer, doctorId, date);
  }
}

/** Doctor.bookable: what the booking forms' doctor lists show. */
@Resolver(() => Doctor)
export class DoctorBookableResolver {
  @FieldResolver(() => Boolean, {
    description:
      'Offered for booking: the doctor has working hours, or has none and their practice allows that (Practice.bookableWithoutHours). Any signed-in account.',
  })
  bookable(@Root() doctor: Doctor, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.availability.isBookable(ctx.viewer, doctor.id);
  }
}
