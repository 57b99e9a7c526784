import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Appointment } from '../appointments/appointments.type';

@Resolver()
export class ScheduleResolver {
  @Query(() => [Appointment], {
    description: "The doctor's appointments overlapping [from, to), every status, in time order. Only that doctor; at most 31 days.",
  })
  doctorSchedule(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Appointment[]> {
    return ctx.services.schedule.doctorSchedule(ctx.viewer, doctorId, from, to);
  }

  @Query(() => [Appointment], {
    description:
      "The practice's appointments overlapping [from, to), every status, in time order (the front desk's flow board). Its staff and admins only; at most 31 days.",
  })
  practiceSchedule(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Appointment[]> {
    return ctx.services.schedule.practiceSchedule(ctx.viewer, practiceId, from, to);
  }
}
