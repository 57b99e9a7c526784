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

const INSERT_SUBSCRIPTION: Statement = {
  name: 'fhir_subscriptions_insert',
  text: `
    INSERT INTO fhir_subscriptions (owner_id, criteria, stream, content, reason, start_seq)
    VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::bigint)
    RETURNING ${COLUMNS}`,
};

/** Stores a new subscription (in the caller's transaction). */
export async function insertSubscription(tx: Sql, subscription: Omit<SubscriptionRecord, 'id' | 'createdAt'>): Promise<SubscriptionRecord> {
  const rows = await tx.query(INSERT_SUBSCRIPTION, [
    subscription.ownerId,
    subscription.criteria,
    subscription.stream,
    subscription.content,
    subscription.reason,
    subscription.startSeq,
  ]);
  return toRecord(rows[0]);
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
