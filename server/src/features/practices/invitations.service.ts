import { requireRole, requireViewer, type Viewer } from '../../accounts/authorization';
import { accountById } from '../../accounts/users.sql';
import { Role } from '../../generated/prisma/enums';
import type { AuditTrail } from '../../audit/audit-trail';
import { SecurityAction, SecurityOutcome, type SecurityActor } from '../../audit/security-events';
import { practiceStream } from '../../live/streams';
import type { Transactions, Tx } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { badUserInput, forbidden, notFound } from '../../platform/errors';
import { isUuid } from '../../platform/validation';
import type { Sql } from '../../platform/sql';
import type { RequestMeta } from '../../accounts/request-meta';
import {
  hashInvitationCode,
  invitationExpiry,
  isPlausibleCode,
  newInvitationCode,
  validateInvitation,
  type InvitationRequest,
  type InvitedRole,
} from './invitations.rules';
import { claimInvitation, insertInvitation, markInvitationUsedBy, revokeInvitationRow, type InvitationRecord } from './invitations.sql';
import { PracticeTopic } from './practices.events';
import { linkPatient } from './practices.sql';
import type { PracticeMembers } from './practices.members';
import { assertPracticeAdmin } from './practices.policy';
import type { Invitation } from './practices.type';

export type { InvitationRecord };

/**
 * EXTENSION POINT (issue 17, invitation emails): called inside the transaction that creates the
 * invitation, with the plaintext code, which exists nowhere else after this call returns (the row
 * keeps only its hash, the outbox event carries no code). A hook that enqueues a mail job with
 * `tx` commits with the invitation or not at all; a hook that throws aborts the creation. Keep it
 * to database writes through `tx` (the transaction may be run again after a deadlock).
 */
export type InvitationCreatedHook = (tx: Tx, created: { readonly invitation: InvitationRecord; readonly code: string }) => Promise<void>;

/** What a valid code gave its registrant: the practice to join, as admin or not. */
export interface ClaimedInvitation {
  readonly id: string;
  readonly practiceId: string;
  readonly admin: boolean;
  readonly practiceTimeZone: string;
}

const INVITATION_SELECT = { id: true, practiceId: true, role: true, email: true, admin: true, expiresAt: true, createdById: true } as const;

function toRecord(row: {
  id: string;
  practiceId: string;
  role: string;
  email: string;
  admin: boolean;
  expiresAt: Date;
  createdById: string | null;
}): InvitationRecord {
  return { ...row, role: row.role === 'DOCTOR' ? 'DOCTOR' : row.role === 'PATIENT' ? 'PATIENT' : 'STAFF' };
}

/**
 * The one refusal of a code, whatever is wrong with it (unknown, used, withdrawn, expired, or for
 * another email or role), at registration as at acceptInvitation: it tells nothing about the code.
 */
const INVALID_CODE = 'This invitation code is not valid for this email and role (wrong, used, withdrawn or expired).';

/** Invitations: created by a practice's admin (or the operator), consumed once by `register` or (a patient) `acceptInvitation`. */
export class InvitationService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly members: PracticeMembers,
    private readonly options: { readonly invitationTtlSeconds: number },
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly onInvitationCreated: readonly InvitationCreatedHook[] = [],
  ) {}

  /** An admin of the practice invites a doctor, staff member or patient; the code is in the answer, once. */
  async createInvitation(viewer: Viewer | undefined, request: InvitationRequest): Promise<Invitation> {
    const signedIn = requireViewer(viewer);
    const admin = await assertPracticeAdmin(signedIn, request.practiceId, this.members);
    return this.issue({ userId: signedIn.userId, role: signedIn.role, request: signedIn.request }, request, admin.practiceId);
  }

  /**
   * Creates the invitation (row, outbox event, hooks) in one transaction and returns it with its
   * code. Callers decide who may: createInvitation above, and the operator's `npm run admin`.
   */
  async issue(actor: SecurityActor, request: InvitationRequest, practiceId: string = request.practiceId): Promise<Invitation> {
    const createdById = actor.userId;
    const valid = validateInvitation({ ...request, practiceId });
    const code = newInvitationCode();
    const expiresAt = invitationExpiry(this.clock(), this.options.invitationTtlSeconds);
    const invitation = await this.transactions.run(async (tx) => {
      const row = await insertInvitation(tx, { ...valid, codeHash: hashInvitationCode(code), expiresAt, createdById });
      for (const hook of this.onInvitationCreated) await hook(tx, { invitation: row, code });
      await this.audit.writeSecurityEvent(tx, {
        action: SecurityAction.InvitationCreated,
        outcome: SecurityOutcome.Success,
        actorUserId: actor.userId,
        actorRole: actor.role,
        practiceId,
        objectType: 'invitation',
        objectId: row.id,
        request: actor.request,
      });
      tx.emit(practiceStream(practiceId), PracticeTopic.InvitationCreated, (seq) => ({
        seq,
        invitationId: row.id,
        practiceId,
        email: row.email,
        role: row.role,
        admin: row.admin,
        expiresAt: row.expiresAt.toISOString(),
        createdById,
      }));
      return row;
    });
    return { ...invitation, code };
  }

  /**
   * Consumes a code for this email and role inside the registering transaction, or FORBIDDEN.
   * The conditional UPDATE is the single-use guarantee: of two registers racing with one code,
   * the second waits for the first's row lock, then finds used_at set and matches nothing.
   */
  async claim(tx: Sql, code: string, email: string, role: InvitedRole): Promise<ClaimedInvitation> {
    const refused = forbidden(INVALID_CODE);
    if (!isPlausibleCode(code)) throw refused;
    const claimed = await claimInvitation(tx, { codeHash: hashInvitationCode(code), email, role, now: this.clock() });
    if (!claimed) throw refused;
    return claimed;
  }

  /**
   * Records who used the invitation (after their account exists, in the same transaction), and
   * the security events of it: the invitation used and the member joined, by the new account.
   */
  async markUsedBy(
    tx: Sql,
    used: { readonly invitationId: string; readonly practiceId: string },
    newcomer: { readonly userId: string; readonly role: string; readonly request: RequestMeta },
  ): Promise<void> {
    await markInvitationUsedBy(tx, used.invitationId, newcomer.userId);
    const event = {
      outcome: SecurityOutcome.Success,
      actorUserId: newcomer.userId,
      actorRole: newcomer.role,
      practiceId: used.practiceId,
      request: newcomer.request,
    };
    await this.audit.writeSecurityEvent(tx, {
      ...event,
      action: SecurityAction.InvitationUsed,
      objectType: 'invitation',
      objectId: used.invitationId,
    });
    await this.audit.writeSecurityEvent(tx, { ...event, action: SecurityAction.MemberJoined, subjectUserId: newcomer.userId });
  }

  /**
   * A patient joins the practice's patient list by a claimed invitation (registering with its code,
   * or acceptInvitation), in the claim's transaction: its staff may book for them from then on.
   * Records who used it, and the security event InvitationUsed by the patient.
   */
  async linkPatientBy(
    tx: Sql,
    used: { readonly invitationId: string; readonly practiceId: string },
    patient: { readonly userId: string; readonly request: RequestMeta },
  ): Promise<void> {
    await markInvitationUsedBy(tx, used.invitationId, patient.userId);
    await linkPatient(tx, { practiceId: used.practiceId, patientId: patient.userId, invitationId: used.invitationId, at: this.clock() });
    await this.audit.writeSecurityEvent(tx, {
      action: SecurityAction.InvitationUsed,
      outcome: SecurityOutcome.Success,
      actorUserId: patient.userId,
      actorRole: Role.PATIENT,
      practiceId: used.practiceId,
      objectType: 'invitation',
      objectId: used.invitationId,
      request: patient.request,
    });
  }

  /**
   * `acceptInvitation`: a signed-in patient joins the practice of a PATIENT invitation sent to
   * their email. A wrong, used, withdrawn or expired code (or one for another email or role) is
   * the same FORBIDDEN as at registration; single use under concurrency (the claim's conditional UPDATE).
   */
  async acceptInvitation(viewer: Viewer | undefined, code: string): Promise<boolean> {
    const patient = requireRole(viewer, Role.PATIENT, 'accept an invitation to a practice');
    const account = await accountById(this.prisma, patient.userId);
    if (!account) throw forbidden(INVALID_CODE);
    await this.transactions.run(async (tx) => {
      const claimed = await this.claim(tx, code, account.email, 'PATIENT');
      await this.linkPatientBy(
        tx,
        { invitationId: claimed.id, practiceId: claimed.practiceId },
        { userId: patient.userId, request: patient.request },
      );
    });
    return true;
  }

  /**
   * `revokeInvitation`: an admin of its practice (FORBIDDEN otherwise, also for an unknown id, so
   * ids cannot be probed); the code stops working at once and it leaves pendingInvitations. An
   * invitation revoked already answers true again; a used one BAD_USER_INPUT (remove the member instead).
   */
  async revokeInvitation(viewer: Viewer | undefined, id: string): Promise<boolean> {
    const signedIn = requireViewer(viewer);
    const row = isUuid(id) ? await this.prisma.invitation.findUnique({ where: { id }, select: { practiceId: true } }) : null;
    const practiceId = row?.practiceId ?? null;
    if (practiceId === null) throw forbidden('Only an admin of this practice can do this.');
    await assertPracticeAdmin(signedIn, practiceId, this.members);
    return this.revoke({ userId: signedIn.userId, role: signedIn.role, request: signedIn.request }, id);
  }

  /** Revokes the invitation (callers authorize: revokeInvitation above, the operator's command); NOT_FOUND for an unknown id. */
  async revoke(actor: SecurityActor, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('Invitation');
    await this.transactions.run(async (tx) => {
      const result = await revokeInvitationRow(tx, id, this.clock());
      if (!result) throw notFound('Invitation');
      if (result.used) throw badUserInput('This invitation was used already: remove the member instead.', 'id');
      if (!result.revokedNow) return;
      await this.audit.writeSecurityEvent(tx, {
        action: SecurityAction.InvitationRevoked,
        outcome: SecurityOutcome.Success,
        actorUserId: actor.userId,
        actorRole: actor.role,
        practiceId: result.practiceId,
        objectType: 'invitation',
        objectId: id,
        request: actor.request,
      });
    });
    return true;
  }

  /** Unused, unexpired invitations of a practice, newest first (the members page): its admins only. Codes are never shown again. */
  async pendingInvitations(viewer: Viewer | undefined, practiceId: string): Promise<Invitation[]> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    const rows = await this.prisma.invitation.findMany({
      where: { practiceId, usedAt: null, revokedAt: null, expiresAt: { gt: this.clock() } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: INVITATION_SELECT,
    });
    return rows.map((row) => ({ ...toRecord(row), code: null }));
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly invitations: InvitationService;
  }
}
