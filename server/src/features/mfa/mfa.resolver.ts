import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { User } from '../users/users.type';
import { MfaEnrollment } from './mfa.type';

@Resolver(() => User)
export class MfaResolver {
  @Mutation(() => MfaEnrollment, {
    description:
      'A new TOTP secret for the signed-in account (replacing an unconfirmed one), with 10 recovery codes. BAD_USER_INPUT when MFA is already on (turn it off first to move to a new device).',
  })
  startMfaEnrollment(@Ctx() ctx: RequestContext): Promise<MfaEnrollment> {
    return ctx.services.mfa.startEnrollment(ctx.viewer);
  }

  @Mutation(() => Boolean, {
    description:
      "A current code from the enrollment's secret turns MFA on (BAD_USER_INPUT when wrong); the caller's token then passes MFA_REQUIRED_ROLES at once.",
  })
  confirmMfaEnrollment(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.mfa.confirmEnrollment(ctx.viewer, code);
  }

  @Mutation(() => Boolean, {
    description:
      'Turns MFA off: needs the password and a current code (or a recovery code); BAD_USER_INPUT when either is wrong, RATE_LIMITED after too many tries.',
  })
  disableMfa(
    @Arg('password', () => String) password: string,
    @Arg('otp', () => String) otp: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.mfa.disable(ctx.viewer, password, otp);
  }

  // A User is only ever the caller's own account (`me`, AuthPayload), so no viewer check here.
  @FieldResolver(() => Boolean, { description: 'Whether signing in needs a second factor (TOTP or a recovery code).' })
  mfaEnabled(@Root() user: User, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.mfa.isEnabled(user.id);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether this account's role must use a second factor (MFA_REQUIRED_ROLES): without one, only enrolling is allowed.",
  })
  mfaRequired(@Root() user: User, @Ctx() ctx: RequestContext): boolean {
    return ctx.services.mfa.isRequiredFor(user.role);
  }
}
