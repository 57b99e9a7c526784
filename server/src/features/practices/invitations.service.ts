import type { Viewer } from '../../accounts/authorization';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { EventStreams } from '../../live/event-streams';
import { practiceStream } from '../../live/streams';
import { forbidden } from '../../platform/errors';
import { hashInvitationCode, invitationExpiry, isPlausibleCode, newInvitationCode, validateInvitation, type InvitationRequest } from './invitations.rules';
import { PracticeTopic } from './practices.events';
import type { PracticeMembers } from './practices.members';
import { assertPracticeAdmin } from './practices.policy';
import type { Invitation } from './practices.type';

/** An invitation as stored (no code: only its hash is). */
export interface InvitationRecord {
  readonly id: string;
  readonly practiceId: string;
  readonly role: 'DOCTOR' | 'STAFF';
  readonly email: string;
  readonly admin: boolean;
  readonly expiresAt: Date;
  readonly createdById: string | null;
}

/**
 * EXTENSION POINT (issue 17, invitation emails): called inside the transaction that creates the
 * invitation, with the plaintext code, which exists nowhere else after this call returns (the row
 * keeps only its hash, the outbox event carries no code). A hook that enqueues a mail job with
 * `tx` commits with the invitation or not at all; a hook that throws aborts the creation. Keep it
 * to database writes through `tx` (the transaction may be run again after a deadlock).
 */
export type InvitationCreatedHook = (tx: Prisma.TransactionClient, created: { readonly invitation: InvitationRecord; readonly code: string }) => Promise<void>;

/** What a valid code gave its registrant: the practice to join, as admin or not. */
export interface ClaimedInvitation {
  readonly id: string;
  readonly practiceId: string;
  readonly admin: boolean;
  readonly practiceTimeZone: string;
}

const INVITATION_SELECT = { id: true, practiceId: true, role: true, email: true, admin: true, expiresAt: true, createdById: true } as const;

function toRecord(row: { id: string; practiceId: string; role: string; email: string; admin: boolean; expiresAt: Date; createdById: string | null }): InvitationRecord {
  return { ...row, role: row.role === 'DOCTOR' ? 'DOCTOR' : 'STAFF' };
}

/** Invitations: created by a practice's admin (or the operator), consumed once by `register`. */
export class InvitationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventStreams,
    private readonly members: PracticeMembers,
    private readonly options: { readonly invitationTtlSeconds: number },
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
    const expiresAt = invitationExpiry(new Date(), this.options.invitationTtlSeconds);
    const invitation = await this.events.transaction(async (tx, emit) => {
      const row = toRecord(
        await tx.invitation.create({
          data: { practiceId, role: valid.role, email: valid.email, admin: valid.admin, codeHash: hashInvitationCode(code), expiresAt, createdById },
          select: INVITATION_SELECT,
        }),
      );
      for (const hook of this.onInvitationCreated) await hook(tx, { invitation: row, code });
      emit(practiceStream(practiceId), PracticeTopic.InvitationCreated, (seq) => ({
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
  async claim(tx: Prisma.TransactionClient, code: string, email: string, role: 'DOCTOR' | 'STAFF'): Promise<ClaimedInvitation> {
    const refused = forbidden('This invitation code is not valid for this email and role (wrong, used or expired).');
    if (!isPlausibleCode(code)) throw refused;
    const rows = await tx.$queryRaw<Array<{ id: string; practice_id: string; admin: boolean; time_zone: string }>>`
      UPDATE invitations i SET used_at = now()
      FROM practices p
      WHERE p.id = i.practice_id AND i.code_hash = ${hashInvitationCode(code)} AND i.used_at IS NULL
        AND i.expires_at > now() AND i.email = ${email} AND i.role = ${role}::"Role"
      RETURNING i.id, i.practice_id, i.admin, p.time_zone`;
    const row = rows[0];
    if (!row) throw refused;
    return { id: row.id, practiceId: row.practice_id, admin: row.admin, practiceTimeZone: row.time_zone };
  }

  /** Records who used the invitation (after their account exists, in the same transaction). */
  async markUsedBy(tx: Prisma.TransactionClient, invitationId: string, userId: string): Promise<void> {
    await tx.invitation.update({ where: { id: invitationId }, data: { usedById: userId } });
  }

  /** Unused, unexpired invitations of a practice, newest first (the members page): its admins only. Codes are never shown again. */
  async pendingInvitations(viewer: Viewer | undefined, practiceId: string): Promise<Invitation[]> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    const rows = await this.prisma.invitation.findMany({
      where: { practiceId, usedAt: null, expiresAt: { gt: new Date() } },
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
