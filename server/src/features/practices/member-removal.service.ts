import { requireViewer, type Viewer } from '../../accounts/authorization';
import { revokeSessionsOfUserIn, type SessionService } from '../../accounts/sessions';
import { deactivateUser } from '../../accounts/users.sql';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome, type SecurityActor } from '../../audit/security-events';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import { badUserInput, notFound } from '../../platform/errors';
import { countOtherDoctorAdmins } from '../doctors/doctors.sql';
import type { PracticeMembers } from './practices.members';
import { assertPracticeAdmin } from './practices.policy';
import { countOtherStaffAdmins, deleteStaffMember, lockPractice } from './practices.sql';

/**
 * Offboarding: an admin removes a doctor or staff member from their practice. In ONE transaction
 * (a failure leaves everything as it was): the practice row is locked (removals of one practice
 * take turns, so two admins removing each other cannot leave it without one), the last admin is
 * refused, a staff member's membership is deleted, the account is deactivated (it can no longer
 * sign in; a doctor's row stays for the history of their appointments and records, and belongs
 * nowhere any more: accounts/users.sql.ts accountActive), every session of the account is revoked
 * and the security event is written. After commit the revocation is announced to every instance
 * (tokens UNAUTHENTICATED, sockets closed 4401) and practice streams re-check their subscribers.
 */
export class MemberRemovalService {
  constructor(
    private readonly transactions: Transactions,
    private readonly members: PracticeMembers,
    private readonly sessions: SessionService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** `removeMember`: an admin of the practice only (FORBIDDEN otherwise). */
  async removeMember(viewer: Viewer | undefined, practiceId: string, userId: string): Promise<boolean> {
    const actor = requireViewer(viewer);
    await assertPracticeAdmin(actor, practiceId, this.members);
    await this.remove({ userId: actor.userId, role: actor.role, request: actor.request }, practiceId, userId);
    return true;
  }

  /**
   * Removes the member (callers authorize: removeMember above, the operator's command). NOT_FOUND
   * when the account is not a member of that practice, BAD_USER_INPUT for its last admin. Returns
   * the revoked session ids (already announced on this instance's revocation channel).
   */
  async remove(actor: SecurityActor, practiceId: string, userId: string): Promise<{ revokedSessionIds: string[] }> {
    const revokedSessionIds = await this.transactions.run(async (tx) => {
      if (!(await lockPractice(tx, practiceId))) throw notFound('Practice');
      const membership = await this.members.membershipOfUser(userId, tx);
      if (!membership || membership.practiceId !== practiceId) throw notFound('Member');
      if (membership.admin) {
        const others = (await countOtherDoctorAdmins(tx, practiceId, userId)) + (await countOtherStaffAdmins(tx, practiceId, userId));
        if (others === 0) throw badUserInput('The last admin of a practice cannot be removed.', 'userId');
      }
      const now = this.clock();
      if (membership.role === 'STAFF') await deleteStaffMember(tx, userId, practiceId);
      await deactivateUser(tx, userId, now);
      const ended = await revokeSessionsOfUserIn(tx, userId, now);
      await this.audit.writeSecurityEvent(tx, {
        action: SecurityAction.MemberRemoved,
        outcome: SecurityOutcome.Success,
        actorUserId: actor.userId,
        actorRole: actor.role,
        practiceId,
        subjectUserId: userId,
        request: actor.request,
      });
      return ended;
    });
    this.members.changed();
    await this.sessions.announceRevoked(revokedSessionIds);
    return { revokedSessionIds };
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly memberRemoval: MemberRemovalService;
  }
}
