import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { PushSubscriptionInput } from './push.type';

@Resolver()
export class PushSubscriptionResolver {
  @Mutation(() => Boolean, {
    description:
      "Registers this browser's push subscription for the signed-in user (any role); the same endpoint again replaces it. Doctors and front desks get a push for a booking, cancellation or check-in while they have no dashboard open; patients their reminder.",
  })
  registerPushSubscription(
    @Arg('input', () => PushSubscriptionInput) input: PushSubscriptionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.push.registerPushSubscription(ctx.viewer, input);
  }

  @Mutation(() => Boolean, {
    description: "Removes the signed-in user's subscription with this endpoint (at sign-out); false when there was none.",
  })
  unregisterPushSubscription(@Arg('endpoint') endpoint: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.push.unregisterPushSubscription(ctx.viewer, endpoint);
  }
}
