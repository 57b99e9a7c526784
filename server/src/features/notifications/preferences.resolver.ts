import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { NotificationPreferences, NotificationPreferencesInput } from './preferences.type';

@Resolver(() => NotificationPreferences)
export class NotificationPreferencesResolver {
  @Query(() => NotificationPreferences, { description: "The signed-in patient's mail choices (PATIENT only)." })
  notificationPreferences(@Ctx() ctx: RequestContext): Promise<NotificationPreferences> {
    return ctx.services.notificationPreferences.notificationPreferences(ctx.viewer);
  }

  @Mutation(() => NotificationPreferences, {
    description: 'The signed-in patient turns confirmations or reminders on or off (PATIENT only).',
  })
  updateNotificationPreferences(
    @Arg('input', () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<NotificationPreferences> {
    return ctx.services.notificationPreferences.updateNotificationPreferences(ctx.viewer, input);
  }
}
