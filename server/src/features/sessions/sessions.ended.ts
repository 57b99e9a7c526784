import { randomUUID } from 'node:crypto';
import type { EndedByServer, SessionService } from '../../accounts/sessions';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome } from '../../audit/security-events';
import type { Logger } from '../../platform/logger';
import type { PracticeMembers } from '../practices/practices.members';

/**
 * Records each session the server ended on its own (SESSION_IDLE_TIMEOUT, a rotated token
 * reused) as a SessionRevoked security event: outcome IDLE_TIMEOUT or TOKEN_REUSED, the session
 * as its object, its owner as the actor, listed to the owner's practice. accounts/ sits below
 * audit/, so SessionService only emits 'ended' (once per session, on the instance that ended it)
 * and this listener, wired by the composition, writes the row off the request's path. A row that
 * cannot be written is logged, never thrown into the request that ended the session.
 */
export function recordSessionsEndedByServer(
  sessions: Pick<SessionService, 'events'>,
  audit: Pick<AuditTrail, 'recordSecurityEvent'>,
  members: Pick<PracticeMembers, 'membershipOfUser'>,
  logger: Logger,
): void {
  sessions.events.on('ended', (ended: EndedByServer) => {
    void record(ended).catch((error: unknown) =>
      logger.error({ err: error, sessionId: ended.sessionId }, 'could not record a session ended by the server'),
    );
  });

  async function record(ended: EndedByServer): Promise<void> {
    const practiceId = (await members.membershipOfUser(ended.userId))?.practiceId ?? null;
    await audit.recordSecurityEvent({
      action: SecurityAction.SessionRevoked,
      outcome: ended.reason === 'idle' ? SecurityOutcome.IdleTimeout : SecurityOutcome.TokenReused,
      actorUserId: ended.userId,
      actorRole: ended.role,
      practiceId,
      objectType: 'session',
      objectId: ended.sessionId,
      request: { id: randomUUID(), clientAddress: ended.clientAddress, userAgent: ended.userAgent },
    });
  }
}
