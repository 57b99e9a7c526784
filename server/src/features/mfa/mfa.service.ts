import { requireViewer, type Viewer } from '../../accounts/authorization';
import { verifyPassword } from '../../accounts/passwords';
import type { SecondFactor } from '../../accounts/second-factor';
import { revokeSessionsOfUserIn, type SessionService } from '../../accounts/sessions';
import type { SignInThrottle } from '../../accounts/sign-in-throttle';
import { accountById } from '../../accounts/users.sql';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome, type SecurityActor, type SecurityEvent } from '../../audit/security-events';
import type { Role } from '../../generated/prisma/enums';
import type { Transactions } from '../../live/transactions';
import type { PrismaReader } from '../../platform/database';
import type { Clock } from '../../platform/clock';
import { badUserInput, notFound, unauthenticated } from '../../platform/errors';
import type { PracticeMembers } from '../practices/practices.members';
import { MAX_PASSWORD_LENGTH } from '../users/users.rules';
import type { MfaEnrollment } from './mfa.type';

/** Longer than any TOTP or recovery code, as typed with spaces. */
const MAX_CODE_LENGTH = 64;

/**
 * A signed-in account's second factor: enrolling (a pending secret, confirmed by a code from
 * it), and turning it off (password and a code). Every change is a security event written in the
 * change's transaction; the account's sessions are then read again on every instance, so the
 * same token passes (or meets) MFA_REQUIRED_ROLES at once.
 */
export class MfaService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly secondFactor: SecondFactor,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditTrail,
    private readonly members: PracticeMembers,
    private readonly clock: Clock,
    /** MFA_REQUIRED_ROLES. */
    private readonly requiredRoles: readonly Role[],
  ) {}

  /** Whether accounts of this role must use a second factor. */
  isRequiredFor(role: Role): boolean {
    return this.requiredRoles.includes(role);
  }

  /** Whether the account's MFA is on. */
  isEnabled(userId: string): Promise<boolean> {
    return this.secondFactor.isEnabled(userId);
  }

  /** A new pending TOTP secret and recovery codes; BAD_USER_INPUT when MFA is already on. */
  async startEnrollment(viewer: Viewer | undefined): Promise<MfaEnrollment> {
    const signedIn = requireViewer(viewer);
    const account = await accountById(this.prisma, signedIn.userId);
    if (!account) throw unauthenticated('This account no longer exists.');
    const enrollment = await this.transactions.run((tx) => this.secondFactor.startEnrollment(tx, account));
    if (!enrollment) throw badUserInput('Two-step sign-in is already on. Turn it off first to move it to a new device.');
    return { secret: enrollment.secret, otpauthUrl: enrollment.otpauthUrl, recoveryCodes: [...enrollment.recoveryCodes] };
  }

  /** Turns MFA on with a current code of the pending secret; BAD_USER_INPUT when wrong or nothing is pending. */
  async confirmEnrollment(viewer: Viewer | undefined, code: string): Promise<boolean> {
    const signedIn = requireViewer(viewer);
    const trimmed = code.replace(/\s/g, '');
    const enabled = await this.eventOf(signedIn, SecurityAction.MfaEnabled, SecurityOutcome.Success);
    const outcome = await this.transactions.run(async (tx) => {
      const result =
        trimmed.length <= MAX_CODE_LENGTH ? await this.secondFactor.confirmEnrollment(tx, signedIn.userId, trimmed) : 'wrongCode';
      if (result === 'confirmed') await this.audit.writeSecurityEvent(tx, enabled);
      return result;
    });
    if (outcome === 'notPending') throw badUserInput('There is no enrollment to confirm: start one first.', 'code');
    if (outcome === 'wrongCode') {
      await this.audit.recordSecurityEvent({ ...enabled, outcome: SecurityOutcome.Failure });
      throw badUserInput("That code is not right: check the device's clock and enter the code it shows now.", 'code');
    }
    await this.sessions.secondFactorChanged(signedIn.userId);
    return true;
  }

  /**
   * Turns MFA off after checking the password and a code (TOTP or recovery). Attempts count
   * against the account's email like sign-ins, so the code cannot be guessed by repetition.
   */
  async disable(viewer: Viewer | undefined, password: string, otp: string): Promise<boolean> {
    const signedIn = requireViewer(viewer);
    const account = await accountById(this.prisma, signedIn.userId);
    if (!account) throw unauthenticated('This account no longer exists.');
    await this.throttle.beginSignIn(account.email, signedIn.request.clientAddress);
    const disabled = await this.eventOf(signedIn, SecurityAction.MfaDisabled, SecurityOutcome.Success);
    const passwordMatches = password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(password, account.passwordHash));
    const proof = passwordMatches && otp.length <= MAX_CODE_LENGTH ? await this.secondFactor.verify(signedIn.userId, otp) : null;
    if (!proof) {
      await this.audit.recordSecurityEvent({ ...disabled, outcome: SecurityOutcome.Failure });
      throw badUserInput('The password or the code is not right.');
    }
    await this.throttle.signInSucceeded(account.email, signedIn.request.clientAddress);
    await this.transactions.run(async (tx) => {
      await this.secondFactor.disable(tx, signedIn.userId);
      await this.audit.writeSecurityEvent(tx, disabled);
    });
    await this.sessions.secondFactorChanged(signedIn.userId);
    return true;
  }

  /**
   * The operator's reset for a lost device (`npm run admin -- reset-mfa`): the account's second
   * factor is removed and every session of it ends, in one transaction with its security event.
   * The owner signs in with the password and enrolls again (at once, when their role requires MFA).
   * Returns the ended sessions, for SessionService.announceRevoked once committed.
   */
  async resetByOperator(actor: SecurityActor, userId: string): Promise<{ revokedSessionIds: string[] }> {
    const practiceId = (await this.members.membershipOfUser(userId))?.practiceId ?? null;
    const revokedSessionIds = await this.transactions.run(async (tx) => {
      if (!(await this.secondFactor.disable(tx, userId))) throw notFound('Two-step sign-in of this account');
      await this.audit.writeSecurityEvent(tx, {
        action: SecurityAction.MfaDisabled,
        outcome: SecurityOutcome.Success,
        actorUserId: actor.userId,
        actorRole: actor.role,
        practiceId,
        subjectUserId: userId,
        request: actor.request,
      });
      return revokeSessionsOfUserIn(tx, userId, this.clock());
    });
    return { revokedSessionIds };
  }

  /** A security event about the viewer's own account (its practice's admins list it). */
  private async eventOf(viewer: Viewer, action: SecurityEvent['action'], outcome: SecurityEvent['outcome']): Promise<SecurityEvent> {
    const practiceId = (await this.members.membershipOf(viewer))?.practiceId ?? null;
    return { action, outcome, actorUserId: viewer.userId, actorRole: viewer.role, practiceId, request: viewer.request };
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly mfa: MfaService;
  }
}
