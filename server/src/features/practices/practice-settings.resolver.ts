import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Practice } from './practices.type';

/** A practice's own settings, changed by its admins. */
@Resolver(() => Practice)
export class PracticeSettingsResolver {
  @Mutation(() => Practice, {
    description:
      'An admin of the practice decides whether its doctors without working hours are offered for booking at any time (true) or not at all (false, the default). FORBIDDEN for anyone else.',
  })
  setPracticeBookableWithoutHours(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('allowed') allowed: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Practice> {
    return ctx.services.practices.setBookableWithoutHours(ctx.viewer, practiceId, allowed);
  }
}
