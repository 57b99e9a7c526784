import { z } from 'zod';
import type { Sql, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';

/**
 * The `mfa_credentials` and `mfa_recovery_codes` tables (an account's TOTP second factor) belong
 * to accounts: every statement that names them is here. second-factor.ts is their only user.
 */

/** A credential as stored: its sealed secret, whether it is confirmed, and the step last accepted. */
export interface StoredCredential {
  readonly secretSealed: string;
  readonly confirmedAt: Date | null;
  readonly lastTimeStep: number | null;
}

const CredentialRow = z.object({ secret_sealed: z.string(), confirmed_at: timestamp.nullable(), last_time_step: int8.nullable() });

const SELECT_CREDENTIAL: Statement = {
  name: 'mfa_credentials_select',
  text: 'SELECT secret_sealed, confirmed_at, last_time_step FROM mfa_credentials WHERE user_id = $1::uuid',
};

/** The account's credential, pending or confirmed, or null. */
export async function credentialOf(sql: Sql, userId: string): Promise<StoredCredential | null> {
  const [raw] = await sql.query(SELECT_CREDENTIAL, [userId]);
  if (!raw) return null;
  const row = CredentialRow.parse(raw);
  return {
    secretSealed: row.secret_sealed,
    confirmedAt: row.confirmed_at,
    lastTimeStep: row.last_time_step === null ? null : Number(row.last_time_step),
  };
}

/** A new pending enrollment replaces any earlier pending one; a confirmed credential is left alone (no row). */
const UPSERT_PENDING: Statement = {
  name: 'mfa_credentials_upsert_pending',
  text: `
    INSERT INTO mfa_credentials (user_id, secret_sealed, created_at)
    VALUES ($1::uuid, $2::text, $3::timestamptz)
    ON CONFLICT (user_id) DO UPDATE
      SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_time_step = NULL
      WHERE mfa_credentials.confirmed_at IS NULL
    RETURNING user_id`,
};

const DELETE_RECOVERY_CODES: Statement = {
  name: 'mfa_recovery_codes_delete',
  text: 'DELETE FROM mfa_recovery_codes WHERE user_id = $1::uuid',
};

const INSERT_RECOVERY_CODES: Statement = {
  name: 'mfa_recovery_codes_insert',
  text: 'INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT $1::uuid, unnest($2::text[])',
};

/**
 * Stores a pending enrollment with its recovery codes (digests), replacing an earlier pending
 * one and its codes, in the caller's transaction. False when the account's MFA is already on.
 */
export async function storePendingEnrollment(
  tx: Sql,
  enrollment: { userId: string; secretSealed: string; recoveryCodeHashes: readonly string[]; at: Date },
): Promise<boolean> {
  const rows = await tx.query(UPSERT_PENDING, [enrollment.userId, enrollment.secretSealed, enrollment.at.toISOString()]);
  if (rows.length === 0) return false;
  await tx.query(DELETE_RECOVERY_CODES, [enrollment.userId]);
  await tx.query(INSERT_RECOVERY_CODES, [enrollment.userId, enrollment.recoveryCodeHashes]);
  return true;
}

/**
 * Turns a pending enrollment on at the accepted step, in the caller's transaction. False when
 * there was none pending (confirmed meanwhile, or turned off).
 */
const CONFIRM: Statement = {
  name: 'mfa_credentials_confirm',
  text: `
    UPDATE mfa_credentials SET confirmed_at = $2::timestamptz, last_time_step = $3::bigint
    WHERE user_id = $1::uuid AND confirmed_at IS NULL
    RETURNING user_id`,
};

export async function confirmEnrollment(tx: Sql, userId: string, at: Date, timeStep: number): Promise<boolean> {
  return (await tx.query(CONFIRM, [userId, at.toISOString(), timeStep])).length > 0;
}

/**
 * Accepts a TOTP step: only a later step than the last one accepted, so a code (or an earlier
 * one, still inside the drift window) is never accepted twice, even by two sign-ins at once.
 */
const ACCEPT_STEP: Statement = {
  name: 'mfa_credentials_accept_step',
  text: `
    UPDATE mfa_credentials SET last_time_step = $2::bigint
    WHERE user_id = $1::uuid AND confirmed_at IS NOT NULL AND (last_time_step IS NULL OR last_time_step < $2::bigint)
    RETURNING user_id`,
};

export async function acceptTimeStep(sql: Sql, userId: string, timeStep: number): Promise<boolean> {
  return (await sql.query(ACCEPT_STEP, [userId, timeStep])).length > 0;
}

/** Spends a recovery code of an account whose MFA is on: single use, even for two sign-ins at once. */
const SPEND_RECOVERY_CODE: Statement = {
  name: 'mfa_recovery_codes_spend',
  text: `
    UPDATE mfa_recovery_codes code SET used_at = $3::timestamptz
    WHERE code.user_id = $1::uuid AND code.code_hash = $2::text AND code.used_at IS NULL
      AND EXISTS (SELECT 1 FROM mfa_credentials credential WHERE credential.user_id = $1::uuid AND credential.confirmed_at IS NOT NULL)
    RETURNING code.user_id`,
};

export async function spendRecoveryCode(sql: Sql, userId: string, codeHash: string, at: Date): Promise<boolean> {
  return (await sql.query(SPEND_RECOVERY_CODE, [userId, codeHash, at.toISOString()])).length > 0;
}

const DELETE_CREDENTIAL: Statement = {
  name: 'mfa_credentials_delete',
  text: 'DELETE FROM mfa_credentials WHERE user_id = $1::uuid RETURNING user_id',
};

/** Removes the account's second factor and its recovery codes, in the caller's transaction; false when it had none. */
export async function deleteSecondFactor(tx: Sql, userId: string): Promise<boolean> {
  await tx.query(DELETE_RECOVERY_CODES, [userId]);
  return (await tx.query(DELETE_CREDENTIAL, [userId])).length > 0;
}

const COUNT_UNUSED_CODES: Statement = {
  name: 'mfa_recovery_codes_count_unused',
  text: 'SELECT count(*)::int AS unused FROM mfa_recovery_codes WHERE user_id = $1::uuid AND used_at IS NULL',
};

/** How many recovery codes the account has left. */
export async function unusedRecoveryCodes(sql: Sql, userId: string): Promise<number> {
  const [raw] = await sql.query(COUNT_UNUSED_CODES, [userId]);
  return z.object({ unused: z.number().int() }).parse(raw).unused;
}

const MFA_ENABLED: Statement = {
  name: 'mfa_credentials_enabled',
  text: 'SELECT EXISTS (SELECT 1 FROM mfa_credentials WHERE user_id = $1::uuid AND confirmed_at IS NOT NULL) AS enabled',
};

/** Whether the account's MFA is on (a confirmed credential). */
export async function mfaEnabled(sql: Sql, userId: string): Promise<boolean> {
  const [raw] = await sql.query(MFA_ENABLED, [userId]);
  return z.object({ enabled: z.boolean() }).parse(raw).enabled;
}

const SECRETS_PAGE: Statement = {
  name: 'mfa_credentials_secrets_page',
  text: 'SELECT user_id, secret_sealed FROM mfa_credentials WHERE user_id > $1::uuid ORDER BY user_id LIMIT $2::int',
};

const SecretRow = z.object({ user_id: z.string(), secret_sealed: z.string() });

/** A page of stored secrets, by user id after `after` (the re-seal pass after a key rotation). */
export async function secretsPage(sql: Sql, after: string, limit: number): Promise<Array<{ userId: string; secretSealed: string }>> {
  const rows = await sql.query(SECRETS_PAGE, [after, limit]);
  return rows.map((raw) => {
    const row = SecretRow.parse(raw);
    return { userId: row.user_id, secretSealed: row.secret_sealed };
  });
}

/** Replaces a sealed secret with its re-sealed form, only if it is still the one read (a new enrollment meanwhile wins). */
const RESEAL_SECRET: Statement = {
  name: 'mfa_credentials_reseal',
  text: 'UPDATE mfa_credentials SET secret_sealed = $3::text WHERE user_id = $1::uuid AND secret_sealed = $2::text',
};

export async function resealSecret(sql: Sql, userId: string, previous: string, next: string): Promise<void> {
  await sql.query(RESEAL_SECRET, [userId, previous, next]);
}
