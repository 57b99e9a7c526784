import type { Viewer } from '../../accounts/authorization';
import { practiceStream } from '../../live/streams';
import type { Transactions, Tx } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { forbidden } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import {
  hashInvitationCode,
  invitationExpiry,
  isPlausibleCode,
  newInvitationCode,
  validateInvitation,
  type InvitationRequest,
} from './invitations.rules';
import { claimInvitation, insertInvitation, markInvitationUsedBy, type InvitationRecord } from './invitations.sql';
import { PracticeTopic } from './practices.events';
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
  return { ...row, role: row.role === 'DOCTOR' ? 'DOCTOR' : 'STAFF' };
}

/** Invitations: created by a practice's admin (or the operator), consumed once by `register`. */
export class InvitationService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly members: PracticeMembers,
    private readonly options: { readonly invitationTtlSeconds: number },
    private readonly clock: Clock,
    private readonly onInvitationCreated: readonly InvitationCreatedHook[] = [],
  ) {}

  /** An admin of the practice invites a doctor or staff member; the code is in the answer, once. */
  async createInvitation(viewer: Viewer | undefined, request: InvitationRequest): Promise<Invitation> {
    const admin = await assertPracticeAdmin(viewer, request.practiceId, this.members);
    return this.issue(viewer?.userId ?? null, request, admin.practiceId);
  }

  /**
   * Creates the invitation (row, outbox event, hooks) in one transaction and returns it with its
   * code. Callers decide who may: createInvitation above, and the operator's `npm run admin`.
   */
  async issue(createdById: string | null, request: InvitationRequest, practiceId: string = request.practiceId): Promise<Invitation> {
    const valid = validateInvitation({ ...request, practiceId });
    const code = newInvitationCode();
    const expiresAt = invitationExpiry(this.clock(), this.options.invitationTtlSeconds);
    const invitation = await this.transactions.run(async (tx) => {
      const row = await insertInvitation(tx, { ...valid, codeHash: hashInvitationCode(code), expiresAt, createdById });
      for (const hook of this.onInvitationCreated) await hook(tx, { invitation: row, code });
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
  async claim(tx: Sql, code: string, email: string, role: 'DOCTOR' | 'STAFF'): Promise<ClaimedInvitation> {
    const refused = forbidden('This invitation code is not valid for this email and role (wrong, used or expired).');
    if (!isPlausibleCode(code)) throw refused;
    const claimed = await claimInvitation(tx, { codeHash: hashInvitationCode(code), email, role, now: this.clock() });
    if (!claimed) throw refused;
    return claimed;
  }

  /** Records who used the invitation (after their account exists, in the same transaction). */
  async markUsedBy(tx: Sql, invitationId: string, userId: string): Promise<void> {
    await markInvitationUsedBy(tx, invitationId, userId);
  }

  /** Unused, unexpired invitations of a practice, newest first (the members page): its admins only. Codes are never shown again. */
  async pendingInvitations(viewer: Viewer | undefined, practiceId: string): Promise<Invitation[]> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    const rows = await this.prisma.invitation.findMany({
      where: { practiceId, usedAt: null, expiresAt: { gt: this.clock() } },
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
