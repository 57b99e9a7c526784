import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { RateLimited } from '../../graphql/rate-limited';
import type { RequestContext } from '../../graphql/request-context';
import { notFound } from '../../platform/errors';
import { Doctor } from '../doctors/doctors.type';
import { Hold, HoldSlotInput } from './holds.type';

@Resolver(() => Hold)
export class HoldResolver {
  @Mutation(() => Hold, {
    description:
      "Holds a time for HOLD_TTL (default 5 minutes): nobody else can book or hold it meanwhile; bookAppointment(input.holdId) books it. Who may hold, and when, as for bookAppointment (and its rate limit): SLOT_UNAVAILABLE when the doctor or the patient is booked or held then, or outside the doctor's working hours.",
  })
  @RateLimited('bookings', 'account')
  holdSlot(@Arg('input', () => HoldSlotInput) input: HoldSlotInput, @Ctx() ctx: RequestContext): Promise<Hold> {
    return ctx.services.appointments.holdSlot(ctx.viewer, input);
  }

  @FieldResolver(() => Doctor)
  async doctor(@Root() hold: Hold, @Ctx() ctx: RequestContext): Promise<Doctor> {
    return (await ctx.loaders.doctor.load(hold.doctorId)) ?? Promise.reject(notFound('Doctor'));
  }
}
