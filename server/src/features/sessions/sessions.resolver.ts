import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { AuthPayload } from '../users/users.type';
import { Session } from './sessions.type';

@Resolver(() => Session)
export class SessionResolver {
  @Query(() => [Session], { description: "The signed-in account's live sessions, newest first." })
  mySessions(@Ctx() ctx: RequestContext): Promise<Session[]> {
    return ctx.services.accountSessions.mySessions(ctx.viewer);
  }

  @Mutation(() => Boolean, {
    description: 'Ends this session: this token stops working at once and its sockets close with 4401 within 1 s.',
  })
  logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.accountSessions.logout(ctx.viewer);
  }

  @Mutation(() => Boolean, { description: 'Ends every session of the account: every token stops working, every socket closes with 4401.' })
  logoutEverywhere(@Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.accountSessions.logoutEverywhere(ctx.viewer);
  }

  @Mutation(() => AuthPayload, {
    description:
      "A fresh token for this session (JWT_EXPIRES_IN, never past the session's SESSION_MAX_AGE). Needs a still-valid token; the session's sockets stay open.",
  })
  refreshToken(@Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return ctx.services.accountSessions.refreshToken(ctx.viewer);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Checks the current password (BAD_USER_INPUT when wrong, RATE_LIMITED after too many), sets the new one and ends every other session. Returns a fresh token for this one.',
  })
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return ctx.services.accountSessions.changePassword(ctx.viewer, currentPassword, newPassword);
  }
}
