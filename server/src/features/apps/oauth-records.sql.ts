import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { jsonColumn, timestamp } from '../../platform/sql-values';

/**
 * The statements of oidc-provider's storage (oauth_records) and its signing keys
 * (oauth_signing_keys). A record's key is the SHA-256 of the provider's id: for tokens and codes
 * that id is the secret itself, so the table alone lets nobody use one.
 */

/** The stored form of a provider id. */
export function recordKey(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** What the provider stored, as it gave it (an object; the provider reads its own fields). */
const Payload = jsonColumn(z.looseObject({}));

const FoundRow = z.object({ payload: Payload, consumed_at: timestamp.nullable() });

/** A record as the provider reads it back: its payload, with `consumed` (seconds) once consumed. */
export type FoundRecord = z.infer<typeof Payload> & { consumed?: number };

function toFound(raw: unknown): FoundRecord {
  const row = FoundRow.parse(raw);
  return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
}

const UPSERT: Statement = {
  name: 'oauth_records_upsert',
  text: `
    INSERT INTO oauth_records (kind, id, payload, expires_at, grant_id, uid, user_code)
    VALUES ($1::text, $2::text, $3::jsonb, $4::timestamptz, $5::text, $6::text, $7::text)
    ON CONFLICT (kind, id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at,
      grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code`,
};

export async function upsertRecord(
  sql: Sql,
  record: {
    kind: string;
    id: string;
    payload: Record<string, unknown>;
    expiresAt: Date | null;
    grantId: string | null;
    uid: string | null;
    userCode: string | null;
  },
): Promise<void> {
  await sql.query(UPSERT, [
    record.kind,
    recordKey(record.id),
    JSON.stringify(record.payload),
    record.expiresAt?.toISOString() ?? null,
    record.grantId,
    record.uid,
    record.userCode,
  ]);
}

const FIND: Statement = {
  name: 'oauth_records_find',
  text: `SELECT payload, consumed_at FROM oauth_records
    WHERE kind = $1::text AND id = $2::text AND (expires_at IS NULL OR expires_at > $3::timestamptz)`,
};

export async function findRecord(sql: Sql, kind: string, id: string, now: Date): Promise<FoundRecord | undefined> {
  const rows = await sql.query(FIND, [kind, recordKey(id), now.toISOString()]);
  return rows[0] === undefined ? undefined : toFound(rows[0]);
}

const FIND_BY_UID: Statement = {
  name: 'oauth_records_find_by_uid',
  text: `SELECT payload, consumed_at FROM oauth_records
    WHERE kind = $1::text AND uid = $2::text AND (expires_at IS NULL OR expires_at > $3::timestamptz)`,
};

export async function findRecordByUid(sql: Sql, kind: string, uid: string, now: Date): Promise<FoundRecord | undefined> {
  const rows = await sql.query(FIND_BY_UID, [kind, uid, now.toISOString()]);
  return rows[0] === undefined ? undefined : toFound(rows[0]);
}

const FIND_BY_USER_CODE: Statement = {
  name: 'oauth_records_find_by_user_code',
  text: `SELECT payload, consumed_at FROM oauth_records
    WHERE kind = $1::text AND user_code = $2::text AND (expires_at IS NULL OR expires_at > $3::timestamptz)`,
};

export async function findRecordByUserCode(sql: Sql, kind: string, userCode: string, now: Date): Promise<FoundRecord | undefined> {
  const rows = await sql.query(FIND_BY_USER_CODE, [kind, userCode, now.toISOString()]);
  return rows[0] === undefined ? undefined : toFound(rows[0]);
}

const CONSUME: Statement = {
  name: 'oauth_records_consume',
  text: `UPDATE oauth_records SET consumed_at = $3::timestamptz WHERE kind = $1::text AND id = $2::text`,
};

export async function consumeRecord(sql: Sql, kind: string, id: string, now: Date): Promise<void> {
  await sql.query(CONSUME, [kind, recordKey(id), now.toISOString()]);
}

const DESTROY: Statement = {
  name: 'oauth_records_destroy',
  text: `DELETE FROM oauth_records WHERE kind = $1::text AND id = $2::text`,
};

export async function destroyRecord(sql: Sql, kind: string, id: string): Promise<void> {
  await sql.query(DESTROY, [kind, recordKey(id)]);
}

const REVOKE_GRANT: Statement = {
  name: 'oauth_records_revoke_grant',
  text: `DELETE FROM oauth_records WHERE grant_id = $1::text RETURNING kind, id`,
};

const DeletedRow = z.object({ kind: z.string(), id: z.string() });

/**
 * Every code and token of the grant, of any kind (the grant itself is stored under its own id).
 * Returns the stored keys of the access tokens it deleted (their sockets are to close).
 */
export async function revokeGrantRecords(sql: Sql, grantId: string): Promise<string[]> {
  const rows = await sql.query(REVOKE_GRANT, [grantId]);
  return rows.map((raw) => DeletedRow.parse(raw)).flatMap((row) => (row.kind === 'AccessToken' ? [row.id] : []));
}

const EXISTING_ACCESS_TOKENS: Statement = {
  name: 'oauth_records_existing_access_tokens',
  text: `SELECT id FROM oauth_records WHERE kind = 'AccessToken' AND id = ANY($1::text[])`,
};

/** Of these stored keys, the access tokens still stored (expired ones too, until pruned). */
export async function existingAccessTokens(sql: Sql, keys: readonly string[]): Promise<Set<string>> {
  const rows = await sql.query(EXISTING_ACCESS_TOKENS, [[...keys]]);
  return new Set(rows.map((raw) => z.object({ id: z.string() }).parse(raw).id));
}

const DESTROY_GRANT: Statement = {
  name: 'oauth_records_destroy_grant',
  text: `DELETE FROM oauth_records WHERE kind = 'Grant' AND id = $1::text`,
};

/** The grant record itself (its tokens go with revokeGrantRecords). */
export async function destroyGrant(sql: Sql, grantId: string): Promise<void> {
  await sql.query(DESTROY_GRANT, [recordKey(grantId)]);
}

const PRUNE: Statement = {
  name: 'oauth_records_prune',
  text: `DELETE FROM oauth_records WHERE expires_at < $1::timestamptz`,
};

/** Drops records expired before `before`. */
export async function pruneRecords(sql: Sql, before: Date): Promise<void> {
  await sql.query(PRUNE, [before.toISOString()]);
}

const LOCK_KEYS: Statement = {
  name: 'oauth_signing_keys_lock',
  text: `SELECT pg_advisory_xact_lock(hashtext('oauth_signing_keys'))`,
};

/** The current key first (the provider signs with the first), then retired keys still published. */
const ACTIVE_KEYS: Statement = {
  name: 'oauth_signing_keys_active',
  text: `
    SELECT kid, private_jwk FROM oauth_signing_keys
    WHERE retired_at IS NULL OR retired_at > $1::timestamptz
    ORDER BY retired_at IS NULL DESC, created_at DESC, kid`,
};

const RETIRE_CURRENT: Statement = {
  name: 'oauth_signing_keys_retire_current',
  text: `UPDATE oauth_signing_keys SET retired_at = $1::timestamptz WHERE retired_at IS NULL RETURNING kid`,
};

const DROP_RETIRED: Statement = {
  name: 'oauth_signing_keys_drop_retired',
  text: `DELETE FROM oauth_signing_keys WHERE retired_at IS NOT NULL AND retired_at <= $1::timestamptz RETURNING kid`,
};

const INSERT_KEY: Statement = {
  name: 'oauth_signing_keys_insert',
  text: `INSERT INTO oauth_signing_keys (kid, private_jwk, created_at) VALUES ($1::text, $2::text, $3::timestamptz)`,
};

/**
 * The signing keys in use (sealed), creating the first with `create` when there is none. Two
 * instances starting at once wait for each other (an advisory lock), so one key is made, once.
 */
export async function signingKeys(
  tx: Sql,
  create: () => { kid: string; sealed: string },
  now: Date,
  /** Retired keys are still published until this long after they were retired. */
  publishedForMs: number,
): Promise<{ kid: string; sealed: string }[]> {
  await tx.query(LOCK_KEYS, []);
  const read = async () =>
    (await tx.query(ACTIVE_KEYS, [new Date(now.getTime() - publishedForMs).toISOString()])).map((raw) => {
      const row = z.object({ kid: z.string(), private_jwk: z.string() }).parse(raw);
      return { kid: row.kid, sealed: row.private_jwk };
    });
  const keys = await read();
  if (keys.length > 0 && (await tx.query(CURRENT_KEY, [])).length > 0) return keys;
  const key = create();
  await tx.query(INSERT_KEY, [key.kid, key.sealed, now.toISOString()]);
  return [key, ...keys];
}

const CURRENT_KEY: Statement = {
  name: 'oauth_signing_keys_current',
  text: `SELECT kid FROM oauth_signing_keys WHERE retired_at IS NULL LIMIT 1`,
};

/**
 * Rotation: the current key is retired (kept, and published, for `publishedForMs`), `create`'s key
 * becomes current, and keys retired longer ago than that are deleted. Under the same lock as
 * signingKeys, so a server starting meanwhile reads one state or the other.
 */
export async function rotateSigningKey(
  tx: Sql,
  create: () => { kid: string; sealed: string },
  now: Date,
  publishedForMs: number,
): Promise<{ current: string; retired: string[]; dropped: string[] }> {
  await tx.query(LOCK_KEYS, []);
  const kidOf = (raw: unknown) => z.object({ kid: z.string() }).parse(raw).kid;
  const dropped = (await tx.query(DROP_RETIRED, [new Date(now.getTime() - publishedForMs).toISOString()])).map(kidOf);
  const retired = (await tx.query(RETIRE_CURRENT, [now.toISOString()])).map(kidOf);
  const key = create();
  await tx.query(INSERT_KEY, [key.kid, key.sealed, now.toISOString()]);
  return { current: key.kid, retired, dropped };
}
