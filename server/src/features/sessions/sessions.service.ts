import { requireViewer, type Viewer } from '../../accounts/authorization';
import type { PasswordRule } from '../../accounts/password-rule';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome, type SecurityEvent } from '../../audit/security-events';
import type { PracticeMembers } from '../practices/practices.members';
import { verifyPassword, type PasswordHasher } from '../../accounts/passwords';
import type { SessionService } from '../../accounts/sessions';
import type { SignInThrottle } from '../../accounts/sign-in-throttle';
import type { TokenService } from '../../accounts/tokens';
import { accountById, updatePasswordHash, type AccountRow } from '../../accounts/users.sql';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { badUserInput, unauthenticated } from '../../platform/errors';
import { MAX_PASSWORD_LENGTH } from '../users/users.rules';
import { toUser } from '../users/users.service';
import type { AuthPayload } from '../users/users.type';
import type { Session } from './sessions.type';

/**
 * What a signed-in account does with its sessions: list them, end this one or all, renew its
 * token, change its password (which ends every other session). Revocation reaches every
 * instance at once (accounts/sessions.ts): the tokens are refused and their sockets closed (4401).
 */
export class AccountSessionService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
    private readonly clock: Clock,
    private readonly passwordRule: PasswordRule,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly members: PracticeMembers,
  ) {}

  /** A security event of the viewer's own account (its practice's admins list it). */
  private async eventOf(viewer: Viewer, action: SecurityEvent['action'], outcome: SecurityEvent['outcome']): Promise<SecurityEvent> {
    const practiceId = (await this.members.membershipOf(viewer))?.practiceId ?? null;
    return {
      action,
      outcome,
      actorUserId: viewer.userId,
      actorRole: viewer.role,
      practiceId,
      request: viewer.request,
      objectType: 'session',
      objectId: viewer.sessionId,
    };
  }

  /** The viewer's live sessions, newest first, the current one marked. */
  async mySessions(viewer: Viewer | undefined): Promise<Session[]> {
    const signedIn = requireViewer(viewer);
    const rows = await this.sessions.listOf(signedIn.userId);
    return rows.map((row) => ({ ...row, current: row.id === signedIn.sessionId }));
  }

  /** Ends the viewer's session: its tokens stop working at once, its sockets close. */
  async logout(viewer: Viewer | undefined): Promise<boolean> {
    const signedIn = requireViewer(viewer);
    await this.sessions.revoke(signedIn.userId, signedIn.sessionId);
    return true;
  }

  /** Ends every session of the account, this one included. */
  async logoutEverywhere(viewer: Viewer | undefined): Promise<boolean> {
    const signedIn = requireViewer(viewer);
    await this.sessions.revokeAllOf(signedIn.userId);
    await this.audit.recordSecurityEvent(await this.eventOf(signedIn, SecurityAction.SessionRevoked, SecurityOutcome.Success));
    return true;
  }

  /**
   * A fresh token for the viewer's session, valid JWT_EXPIRES_IN but never past the session's
   * SESSION_MAX_AGE; needs a token that is still valid (an expired one means signing in again).
   * Rotates: the token it was called with works for ROTATION_GRACE_MS more, then presenting it
   * ends the session (accounts/sessions.ts).
   */
  async refreshToken(viewer: Viewer | undefined): Promise<AuthPayload> {
    const signedIn = requireViewer(viewer);
    const row = await accountById(this.prisma, signedIn.userId);
    if (!row) throw unauthenticated('This account no longer exists.');
    const generation = await this.sessions.rotate(signedIn.sessionId, signedIn.tokenGeneration ?? 0);
    return this.tokenFor(row, signedIn, generation);
  }

  private async tokenFor(row: AccountRow, viewer: Viewer, generation: number): Promise<AuthPayload> {
    const token = await this.tokens.sign(row.id, row.role, viewer.sessionId, new Date(viewer.sessionExpiresAt * 1000), generation);
    return { token, user: toUser(row) };
  }

  /**
   * Checks the current password (attempts count against the account's email, like sign-ins),
   * sets the new one and ends every other session and this session's previous token; returns a
   * fresh token for this session.
   */
  async changePassword(viewer: Viewer | undefined, currentPassword: string, newPassword: string): Promise<AuthPayload> {
    const signedIn = requireViewer(viewer);
    const row = await accountById(this.prisma, signedIn.userId);
    if (!row) throw unauthenticated('This account no longer exists.');
    await this.throttle.beginSignIn(row.email, signedIn.request.clientAddress);
    const matches = currentPassword.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(currentPassword, row.passwordHash));
    if (!matches) {
      await this.audit.recordSecurityEvent(await this.eventOf(signedIn, SecurityAction.PasswordChanged, SecurityOutcome.Failure));
      throw badUserInput('The current password is incorrect.', 'currentPassword');
    }
    await this.throttle.signInSucceeded(row.email, signedIn.request.clientAddress);
    this.passwordRule.check(newPassword, row, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    const changed = await this.eventOf(signedIn, SecurityAction.PasswordChanged, SecurityOutcome.Success);
    await this.transactions.run(async (tx) => {
      await updatePasswordHash(tx, row.id, passwordHash, this.clock());
      await this.audit.writeSecurityEvent(tx, changed);
    });
    await this.sessions.revokeAllOf(row.id, { keep: signedIn.sessionId });
    // The caller's previous token stops at once too (no grace): only the one returned works.
    return this.tokenFor(row, signedIn, await this.sessions.rotateWithoutGrace(signedIn.sessionId));
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly accountSessions: AccountSessionService;
  }
}
