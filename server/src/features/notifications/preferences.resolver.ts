import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { User } from '../users/users.type';
import { Channel, NotificationPreferences, NotificationPreferencesInput, NotificationSettingsInput } from './preferences.type';

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

/** The channels, phone and SMS consent of the signed-in account (docs/messaging.md). */
@Resolver(() => User)
export class NotificationSettingsResolver {
  @Mutation(() => User, {
    description:
      "Sets the signed-in user's channels, phone and SMS consent. SMS needs a phone and smsConsent: true (BAD_USER_INPUT with field phone or smsConsent otherwise).",
  })
  async updateNotificationSettings(
    @Arg('input', () => NotificationSettingsInput) input: NotificationSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    await ctx.services.notificationPreferences.updateNotificationSettings(ctx.viewer, input);
    return ctx.services.users.me(ctx.viewer);
  }

  // A User is only ever the caller's own account (`me`, AuthPayload), so no viewer check here.
  @FieldResolver(() => String, { nullable: true, description: 'The phone for texts, in E.164; null when none.' })
  async phone(@Root() user: User, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await ctx.services.notificationPreferences.settingsOf(user.id)).phone;
  }

  @FieldResolver(() => [Channel], { description: 'Where appointment messages reach this user (EMAIL until they choose).' })
  async notificationChannels(@Root() user: User, @Ctx() ctx: RequestContext): Promise<readonly Channel[]> {
    return (await ctx.services.notificationPreferences.settingsOf(user.id)).channels;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When this user agreed to texts on their phone; null: no consent (no texts).' })
  async smsConsentAt(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return (await ctx.services.notificationPreferences.settingsOf(user.id)).smsConsentAt;
  }
}
