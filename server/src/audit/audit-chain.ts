import { createHash } from 'node:crypto';

/**
 * The tamper evidence of the audit trail. Rows are chained per partition: each row carries the
 * hash of the row before it in its partition. One global chain would make every audited write in
 * the system take turns on one lock; with 64 chains each transaction takes whichever chain head
 * is free (audit-trail.ts), so unrelated bookings commit in parallel while each chain still
 * proves its rows were neither edited, removed nor reordered. Which chain a row is in says
 * nothing about it (patients' rows are found by the patient index, not the chain).
 * Changing AUDIT_PARTITIONS needs a migration (audit_chain_heads has one row per partition).
 */
export const AUDIT_PARTITIONS = 64;
/** The predecessor of each partition's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything a row's hash covers: all its columns but the surrogate id and the hash itself. */
export interface ChainedContent {
  readonly partition: number;
  readonly seq: number;
  readonly at: Date;
  readonly actorUserId: string | null;
  readonly actorRole: string;
  readonly actorPracticeId: string | null;
  readonly action: string;
  readonly patientId: string | null;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly requestId: string | null;
  readonly clientAddress: string | null;
  readonly outcome: string;
  /** Security events only (security-events.ts); null on rows about patients' data. */
  readonly userAgent: string | null;
  readonly prevHash: string;
}

/** sha256 (hex) over the row's content in a fixed order, its predecessor's hash included. */
export function hashOf(row: ChainedContent): string {
  return createHash('sha256')
    .update(canonicalText(row.partition, row.seq, chainedMiddle(row), row.prevHash))
    .digest('hex');
}

/**
 * What a row's hash is taken over: the JSON array [partition, seq, at, actor..., outcome, userAgent (when
 * not null), prevHash].
 * The audit trail builds the same text in SQL when it chains rows onto a head it has just locked
 * (audit-trail.ts, APPEND_ROWS: '[' || partition || ',' || seq || ',' || middle || ',"' || prev || '"]'),
 * so the part only the database knows (partition, seq, predecessor) is numbers and hex, and
 * everything that needs JSON escaping is in `middle`, made here.
 */
export function canonicalText(partition: number, seq: number, middle: string, prevHash: string): string {
  return `[${partition},${seq},${middle},${JSON.stringify(prevHash)}]`;
}

/** The row's own content as the middle of canonicalText: JSON values separated by commas. */
export function chainedMiddle(row: Omit<ChainedContent, 'partition' | 'seq' | 'prevHash'>): string {
  const values = JSON.stringify([
    row.at.toISOString(),
    row.actorUserId,
    row.actorRole,
    row.actorPracticeId,
    row.action,
    row.patientId,
    row.objectType,
    row.objectId,
    row.requestId,
    row.clientAddress,
    row.outcome,
    // Last, and only when there is one: rows without a user agent (all rows written before the
    // column existed, and rows about patients' data) hash exactly as they did, so audit:verify
    // still accepts the old rows; a security event's user agent is covered like any column.
    ...(row.userAgent === null ? [] : [row.userAgent]),
  ]);
  return values.slice(1, -1);
}

/** What a chain check found wrong first, naming the row. */
export interface ChainBreak {
  readonly partition: number;
  /** The seq the row has, or the one that was expected where a row is missing. */
  readonly seq: number;
  readonly id: string | null;
  readonly problem: 'altered' | 'missing' | 'out of order' | 'tail missing';
}

export interface StoredRow extends ChainedContent {
  readonly id: string;
  readonly hash: string;
}

/**
 * Walks one partition's rows in seq order from where retention cut it (startSeq/startHash) to
 * its head. The first problem found is returned: a row whose hash does not match its content
 * (edited), a seq gap (deleted), a prev_hash that is not its predecessor's hash (moved or
 * reordered), or a head the last row does not reach (the newest rows deleted).
 */
export function checkPartition(
  rows: Iterable<StoredRow>,
  chain: { partition: number; startSeq: number; startHash: string; headSeq: number; headHash: string },
): ChainBreak | undefined {
  let expectedSeq = chain.startSeq + 1;
  let previousHash = chain.startHash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { partition: chain.partition, seq: expectedSeq, id: null, problem: 'missing' };
    if (hashOf(row) !== row.hash) return { partition: chain.partition, seq: row.seq, id: row.id, problem: 'altered' };
    if (row.prevHash !== previousHash) return { partition: chain.partition, seq: row.seq, id: row.id, problem: 'out of order' };
    previousHash = row.hash;
    expectedSeq += 1;
  }
  if (expectedSeq - 1 !== chain.headSeq || previousHash !== chain.headHash) {
    return { partition: chain.partition, seq: expectedSeq, id: null, problem: 'tail missing' };
  }
  return undefined;
}

/** One line naming the first broken row, for audit:verify's output. */
export function describeBreak(found: ChainBreak): string {
  const row = found.id === null ? `seq ${found.seq}` : `row id ${found.id} (seq ${found.seq})`;
  const what = {
    altered: 'its content does not match its hash (edited)',
    missing: 'is missing (deleted)',
    'out of order': 'does not follow its predecessor (moved or reordered)',
    'tail missing': 'is missing: the chain ends before its recorded head (newest rows deleted)',
  }[found.problem];
  return `audit chain broken in partition ${found.partition}: ${row} ${what}`;
}
