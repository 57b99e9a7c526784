import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Practice } from '../practices/practices.type';
import { RateLimited } from '../../graphql/rate-limited';
import type { RequestContext } from '../../graphql/request-context';
import { RegisterInput } from './users.input';
import { AuthPayload, User } from './users.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in account.' })
  me(@Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.users.me(ctx.viewer);
  }

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  @RateLimited('registrations', 'address')
  register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return ctx.services.users.register(input, ctx.request);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in, opening a session. A wrong email and a wrong password fail alike (UNAUTHENTICATED); too many failures for the email or from the address are RATE_LIMITED (extensions.retryAfterSeconds), even with the right password. An account with MFA needs `otp` too: without a valid one MFA_REQUIRED (counted as a failed sign-in).',
  })
  login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Arg('otp', () => String, { nullable: true, description: 'A current TOTP code, or an unused recovery code.' }) otp: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return ctx.services.users.login(email, password, ctx.request, otp);
  }

  @FieldResolver(() => [Practice], { description: 'The practices this account is an admin of (it may invite their members).' })
  adminOf(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Practice[]> {
    return ctx.services.practices.adminOf(user.id);
  }
}
