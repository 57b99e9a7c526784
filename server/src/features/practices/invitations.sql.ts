import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import type { InvitedRole, ValidInvitation } from './invitations.rules';

/** The `invitations` table's statements (this folder owns it). */

/** An invitation as stored (no code: only its hash is). */
export interface InvitationRecord {
  readonly id: string;
  readonly practiceId: string;
  readonly role: InvitedRole;
  readonly email: string;
  readonly admin: boolean;
  readonly expiresAt: Date;
  readonly createdById: string | null;
}

/** A new invitation: its code's hash, never the code. */
const INSERT_INVITATION: Statement = {
  name: 'invitations_insert',
  text: `
    INSERT INTO invitations (practice_id, role, email, admin, code_hash, expires_at, created_by_id)
    VALUES ($1::uuid, $2::"Role", $3::text, $4::boolean, $5::text, $6::timestamptz, $7::uuid)
    RETURNING id, practice_id, role::text AS role, email, admin, expires_at, created_by_id`,
};

const InvitationColumns = z.object({
  id: z.string(),
  practice_id: z.string(),
  role: z.enum(['DOCTOR', 'STAFF', 'PATIENT']),
  email: z.string(),
  admin: z.boolean(),
  expires_at: timestamp,
  created_by_id: z.string().nullable(),
});

/** Stores the invitation in the caller's transaction; the row as stored. */
export async function insertInvitation(
  tx: Sql,
  invitation: ValidInvitation & { readonly codeHash: string; readonly expiresAt: Date; readonly createdById: string | null },
): Promise<InvitationRecord> {
  const [raw] = await tx.query(INSERT_INVITATION, [
    invitation.practiceId,
    invitation.role,
    invitation.email,
    invitation.admin,
    invitation.codeHash,
    invitation.expiresAt.toISOString(),
    invitation.createdById,
  ]);
  const row = InvitationColumns.parse(raw);
  return {
    id: row.id,
    practiceId: row.practice_id,
    role: row.role,
    email: row.email,
    admin: row.admin,
    expiresAt: row.expires_at,
    createdById: row.created_by_id,
  };
}

/**
 * Consumes the unused, unexpired invitation with this code hash for this email and role, and
 * reads its practice's zone. The conditional UPDATE is the single-use guarantee: of two
 * registers racing with one code, the second waits for the first's row lock, then finds used_at
 * set and matches nothing. `$4` is now.
 */
const CLAIM_INVITATION: Statement = {
  name: 'invitations_claim',
  text: `
    UPDATE invitations i SET used_at = $4::timestamptz
    FROM practices p
    WHERE p.id = i.practice_id AND i.code_hash = $1::text AND i.used_at IS NULL AND i.revoked_at IS NULL
      AND i.expires_at > $4::timestamptz AND i.email = $2::text AND i.role = $3::"Role"
    RETURNING i.id, i.practice_id, i.admin, p.time_zone`,
};

const ClaimedRow = z.object({ id: z.string(), practice_id: z.string(), admin: z.boolean(), time_zone: z.string() });

/** CLAIM_INVITATION in the caller's transaction: what the invitation gave, or null when no invitation matched. */
export async function claimInvitation(
  tx: Sql,
  claim: { readonly codeHash: string; readonly email: string; readonly role: InvitedRole; readonly now: Date },
): Promise<{ id: string; practiceId: string; admin: boolean; practiceTimeZone: string } | null> {
  const [raw] = await tx.query(CLAIM_INVITATION, [claim.codeHash, claim.email, claim.role, claim.now.toISOString()]);
  if (raw === undefined) return null;
  const row = ClaimedRow.parse(raw);
  return { id: row.id, practiceId: row.practice_id, admin: row.admin, practiceTimeZone: row.time_zone };
}

/** Who used the invitation (once their account exists). */
const MARK_INVITATION_USED: Statement = {
  name: 'invitations_mark_used_by',
  text: 'UPDATE invitations SET used_by_id = $2::uuid WHERE id = $1::uuid',
};

/** MARK_INVITATION_USED in the caller's transaction. */
export async function markInvitationUsedBy(tx: Sql, invitationId: string, userId: string): Promise<void> {
  await tx.query(MARK_INVITATION_USED, [invitationId, userId]);
}

/**
 * Revokes an unused invitation (its code stops working at once: CLAIM_INVITATION skips revoked
 * rows). Returns the row as it is after the statement, whether this call revoked it or not, so
 * the caller tells "revoked now" from "used already" and "revoked already"; no row: no such invitation.
 */
const REVOKE_INVITATION: Statement = {
  name: 'invitations_revoke',
  text: `
    WITH target AS (SELECT id, practice_id, used_at, revoked_at FROM invitations WHERE id = $1::uuid FOR UPDATE),
    revoked AS (
      UPDATE invitations i SET revoked_at = $2::timestamptz FROM target t
      WHERE i.id = t.id AND t.used_at IS NULL AND t.revoked_at IS NULL
      RETURNING i.id
    )
    SELECT t.practice_id, t.used_at IS NOT NULL AS used, EXISTS (SELECT 1 FROM revoked) AS revoked_now FROM target t`,
};

const RevokedRow = z.object({ practice_id: z.string(), used: z.boolean(), revoked_now: z.boolean() });

/** REVOKE_INVITATION in the caller's transaction: null when there is no such invitation. */
export async function revokeInvitationRow(
  tx: Sql,
  id: string,
  at: Date,
): Promise<{ practiceId: string; used: boolean; revokedNow: boolean } | null> {
  const [raw] = await tx.query(REVOKE_INVITATION, [id, at.toISOString()]);
  if (raw === undefined) return null;
  const row = RevokedRow.parse(raw);
  return { practiceId: row.practice_id, used: row.used, revokedNow: row.revoked_now };
}
