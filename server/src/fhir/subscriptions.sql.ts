import { z } from 'zod';
import type { Sql, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';

/** What a FHIR Subscription's notifications carry: the Appointment's reference, or the Appointment itself. */
export type PayloadContent = 'id-only' | 'full-resource';

/** A stored FHIR Subscription (the fhir_subscriptions table, owned by this module). */
export interface SubscriptionRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly criteria: string;
  /** The outbox stream it follows (live/streams.ts). */
  readonly stream: string;
  readonly content: PayloadContent;
  readonly reason: string;
  /** The stream's last sequence when it was created: its own events are numbered above it. */
  readonly startSeq: number;
  readonly createdAt: Date;
}

const COLUMNS = 'id, owner_id, criteria, stream, content, reason, start_seq, created_at';

const SubscriptionRow = z.object({
  id: z.string(),
  owner_id: z.string(),
  criteria: z.string(),
  stream: z.string(),
  content: z.enum(['id-only', 'full-resource']),
  reason: z.string(),
  start_seq: int8,
  created_at: timestamp,
});

function toRecord(raw: unknown): SubscriptionRecord {
  const row = SubscriptionRow.parse(raw);
  return {
    id: row.id,
    ownerId: row.owner_id,
    criteria: row.criteria,
    stream: row.stream,
    content: row.content,
    reason: row.reason,
    startSeq: Number(row.start_seq),
    createdAt: row.created_at,
  };
}

const SAME_SUBSCRIPTION: Statement = {
  name: 'fhir_subscriptions_same',
  text: `SELECT ${COLUMNS} FROM fhir_subscriptions
    WHERE owner_id = $1::uuid AND criteria = $2::text AND content = $3::text AND reason = $4::text`,
};

const COUNT_OF_OWNER: Statement = {
  name: 'fhir_subscriptions_count_of_owner',
  text: 'SELECT count(*)::int AS count FROM fhir_subscriptions WHERE owner_id = $1::uuid',
};

const INSERT_SUBSCRIPTION: Statement = {
  name: 'fhir_subscriptions_insert',
  text: `
    INSERT INTO fhir_subscriptions (owner_id, criteria, stream, content, reason, start_seq)
    VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::bigint)
    ON CONFLICT (owner_id, criteria, content, reason) DO NOTHING
    RETURNING ${COLUMNS}`,
};

/** The outcome of storing a subscription: the new row, the owner's identical one, or over the owner's limit. */
export type StoredSubscription = { readonly record: SubscriptionRecord; readonly created: boolean } | { readonly refused: 'limit' };

/**
 * Stores a new subscription (in the caller's transaction), unless the owner has the same one
 * (criteria, content, reason): then that one is answered, as Medplum's client expects when it
 * creates its Subscription again after a reconnect. An owner holds at most `limit` of them.
 */
export async function storeSubscription(
  tx: Sql,
  subscription: Omit<SubscriptionRecord, 'id' | 'createdAt'>,
  limit: number,
): Promise<StoredSubscription> {
  const same = () => tx.query(SAME_SUBSCRIPTION, [subscription.ownerId, subscription.criteria, subscription.content, subscription.reason]);
  const existing = (await same())[0];
  if (existing !== undefined) return { record: toRecord(existing), created: false };
  const counted = z.object({ count: z.number().int() }).parse((await tx.query(COUNT_OF_OWNER, [subscription.ownerId]))[0]);
  if (counted.count >= limit) return { refused: 'limit' };
  const rows = await tx.query(INSERT_SUBSCRIPTION, [
    subscription.ownerId,
    subscription.criteria,
    subscription.stream,
    subscription.content,
    subscription.reason,
    subscription.startSeq,
  ]);
  if (rows[0] !== undefined) return { record: toRecord(rows[0]), created: true };
  // Stored meanwhile by a concurrent identical request: that one is the answer.
  const raced = (await same())[0];
  if (raced === undefined) throw new Error('a subscription conflicted on insert but cannot be read');
  return { record: toRecord(raced), created: false };
}

const SUBSCRIPTION_OF_OWNER: Statement = {
  name: 'fhir_subscriptions_of_owner',
  text: `SELECT ${COLUMNS} FROM fhir_subscriptions WHERE id = $1::uuid AND owner_id = $2::uuid`,
};

/** The subscription with this id when `ownerId` owns it; undefined otherwise (someone else's is not told apart from none). */
export async function readOwnSubscription(sql: Sql, id: string, ownerId: string): Promise<SubscriptionRecord | undefined> {
  const rows = await sql.query(SUBSCRIPTION_OF_OWNER, [id, ownerId]);
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

const DELETE_SUBSCRIPTION: Statement = {
  name: 'fhir_subscriptions_delete',
  text: 'DELETE FROM fhir_subscriptions WHERE id = $1::uuid AND owner_id = $2::uuid RETURNING id',
};

/** Deletes the owner's subscription; false when there was none of theirs. */
export async function deleteOwnSubscription(tx: Sql, id: string, ownerId: string): Promise<boolean> {
  return (await tx.query(DELETE_SUBSCRIPTION, [id, ownerId])).length > 0;
}
