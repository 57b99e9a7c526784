import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { App, AuthorizedApp, RegisterAppInput, UpdateAppInput } from './apps.type';

@Resolver(() => App)
export class AppResolver {
  @Mutation(() => App, {
    description: "An admin of the practice registers a third-party app; a confidential app's secret is in this answer, once.",
  })
  registerApp(@Arg('input', () => RegisterAppInput) input: RegisterAppInput, @Ctx() ctx: RequestContext): Promise<App> {
    return ctx.services.apps.registerApp(ctx.viewer, input);
  }

  @Mutation(() => App, {
    description:
      "An admin of the app's practice renames it or changes its redirect URIs or scopes; authorizations holding a scope taken away end (tokens and sockets).",
  })
  updateApp(@Arg('input', () => UpdateAppInput) input: UpdateAppInput, @Ctx() ctx: RequestContext): Promise<App> {
    return ctx.services.apps.updateApp(ctx.viewer, input);
  }

  @Mutation(() => Boolean, {
    description:
      "An admin of the app's practice deletes it: every user's authorization ends (its tokens stop at once, its sockets close on every instance). False when there was no such app.",
  })
  deleteApp(@Arg('appId', () => ID) appId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.apps.deleteApp(ctx.viewer, appId);
  }

  @Query(() => [App], {
    description: "The practice's registered apps, newest first, for its admins; clientSecret is always null here.",
  })
  practiceApps(@Arg('practiceId', () => ID) practiceId: string, @Ctx() ctx: RequestContext): Promise<App[]> {
    return ctx.services.apps.practiceApps(ctx.viewer, practiceId);
  }

  @Query(() => [AuthorizedApp], { description: 'The apps the viewer allowed to act for them, newest first.' })
  myAuthorizedApps(@Ctx() ctx: RequestContext): Promise<AuthorizedApp[]> {
    return ctx.services.apps.myAuthorizedApps(ctx.viewer);
  }

  @Mutation(() => Boolean, {
    description:
      "Ends the viewer's authorizations of the app: its tokens stop working at once and its sockets close. False when there was none.",
  })
  revokeAppAuthorization(@Arg('appId', () => ID) appId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.apps.revokeAppAuthorization(ctx.viewer, appId);
  }
}
