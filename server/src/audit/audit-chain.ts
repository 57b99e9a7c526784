import { createHash, createHmac } from 'node:crypto';

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
  /** The third-party app the actor acted through; null (or absent, rows before the column) otherwise. */
  readonly appId?: string | null;
  readonly prevHash: string;
}

/**
 * sha256 (hex) over the row's content in a fixed order, its predecessor's hash included: how rows
 * were chained before AUDIT_KEY (each chain's rows before its keyed_from_seq). Anyone can
 * recompute it, so it proves nothing against someone who can write the database.
 */
export function hashOf(row: ChainedContent): string {
  return createHash('sha256')
    .update(canonicalText(row.partition, row.seq, chainedMiddle(row), row.prevHash))
    .digest('hex');
}

/**
 * HMAC-SHA256 (hex) under AUDIT_KEY over the same text as hashOf: how every row is chained from
 * its chain's keyed_from_seq on (APPEND_ROWS in audit-trail.ts computes it with pgcrypto's
 * `hmac`, the key a bound parameter). Without the key, an edited row cannot be given a hash that
 * verifies, nor can a chain be recomputed after it.
 */
export function keyedHashOf(row: ChainedContent, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8'))
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
    // A row with an app has both slots (the user agent possibly null), so it can never hash like
    // a row whose user agent has the app's text.
    ...(row.appId != null ? [row.userAgent, row.appId] : row.userAgent === null ? [] : [row.userAgent]),
  ]);
  return values.slice(1, -1);
}

/** What can be wrong, in the order a reader meets it. */
export type ChainProblem =
  | 'altered'
  | 'missing'
  | 'inserted'
  | 'out of order'
  | 'tail missing'
  | 'recomputed'
  | 'rewound'
  | 'rewritten'
  | 'pruned early'
  | 'forged checkpoint';

/** What a chain check found wrong first, naming the row (or the checkpoint file's line). */
export interface ChainBreak {
  /** The chain; null for a problem of the checkpoint file itself. */
  readonly partition: number | null;
  /** The seq the row has, or the one that was expected where a row is missing (a line number for 'forged checkpoint'). */
  readonly seq: number;
  readonly id: string | null;
  readonly problem: ChainProblem;
}

export interface StoredRow extends ChainedContent {
  readonly id: string;
  readonly hash: string;
}

/** One chain as audit_chain_heads describes it: where retention cut it, its head, and from which seq it is keyed. */
export interface ChainBounds {
  readonly partition: number;
  readonly startSeq: number;
  readonly startHash: string;
  readonly headSeq: number;
  readonly headHash: string;
  /** Rows from this seq on are HMAC-chained under AUDIT_KEY; those before it, plain sha256 (written before the key). */
  readonly keyedFromSeq: number;
}

/** Why a row's own hash is wrong: 'recomputed' when it is the unkeyed sha256 where the key was due. */
function hashProblem(row: StoredRow, key: string, keyedFromSeq: number): 'altered' | 'recomputed' | undefined {
  if (row.seq < keyedFromSeq) return hashOf(row) === row.hash ? undefined : 'altered';
  if (keyedHashOf(row, key) === row.hash) return undefined;
  return hashOf(row) === row.hash ? 'recomputed' : 'altered';
}

/**
 * Walks one chain's rows in seq order from where retention cut it (startSeq/startHash) to its
 * head, one row at a time (memory stays flat however long the chain). The first problem found
 * is returned: a row whose hash does not verify (edited; 'recomputed' when it is the unkeyed
 * sha256 of its content where the key was due), one row more than the chain had ('inserted': the
 * next row still follows the row before it), a seq gap (deleted), a prev_hash that is not its
 * predecessor's hash (moved or reordered), a row past the head, a head the last row does not
 * reach (the newest rows deleted), or a row whose hash differs from the one a checkpoint recorded
 * for its seq.
 */
export class ChainWalker {
  private expectedSeq: number;
  private previousHash: string;
  /** A row whose hash did not verify: the next row tells an inserted row from an edited one. */
  private suspect: { readonly row: StoredRow; readonly problem: 'altered' | 'recomputed' } | undefined;

  constructor(
    private readonly chain: ChainBounds,
    private readonly key: string,
    /** Hashes signed checkpoints recorded, by seq. */
    private readonly checkpointed: ReadonlyMap<number, string> = new Map(),
  ) {
    this.expectedSeq = chain.startSeq + 1;
    this.previousHash = chain.startHash;
  }

  /** The next row in seq order; a break ends the walk. */
  next(row: StoredRow): ChainBreak | undefined {
    const at = (problem: ChainProblem, seq = row.seq, id: string | null = row.id): ChainBreak => ({
      partition: this.chain.partition,
      seq,
      id,
      problem,
    });
    if (this.suspect) {
      const { row: bad, problem } = this.suspect;
      return row.seq === bad.seq + 1 && row.prevHash === this.previousHash ? at('inserted', bad.seq, bad.id) : at(problem, bad.seq, bad.id);
    }
    if (row.seq !== this.expectedSeq) return at('missing', this.expectedSeq, null);
    if (row.seq > this.chain.headSeq) return at('inserted');
    const problem = hashProblem(row, this.key, this.chain.keyedFromSeq);
    if (problem) {
      this.suspect = { row, problem };
      return undefined;
    }
    if (row.prevHash !== this.previousHash) return at('out of order');
    const recorded = this.checkpointed.get(row.seq);
    if (recorded !== undefined && recorded !== row.hash) return at('rewritten');
    this.previousHash = row.hash;
    this.expectedSeq += 1;
    return undefined;
  }

  /** After the last row: a pending suspect, or a chain that stops before its head. */
  end(): ChainBreak | undefined {
    if (this.suspect)
      return { partition: this.chain.partition, seq: this.suspect.row.seq, id: this.suspect.row.id, problem: this.suspect.problem };
    if (this.expectedSeq - 1 !== this.chain.headSeq || this.previousHash !== this.chain.headHash) {
      return { partition: this.chain.partition, seq: this.expectedSeq, id: null, problem: 'tail missing' };
    }
    return undefined;
  }
}

/** Checks a whole chain held in memory (tests; audit:verify streams through ChainWalker). */
export function checkPartition(rows: Iterable<StoredRow>, chain: ChainBounds, key: string): ChainBreak | undefined {
  const walker = new ChainWalker(chain, key);
  for (const row of rows) {
    const found = walker.next(row);
    if (found) return found;
  }
  return walker.end();
}

/** One line naming the first broken row, for audit:verify's output. */
export function describeBreak(found: ChainBreak): string {
  if (found.problem === 'forged checkpoint') {
    return `audit checkpoint file: line ${found.seq} is not signed with AUDIT_KEY (forged or edited, or AUDIT_KEY is not the key that wrote it)`;
  }
  const row = found.id === null ? `seq ${found.seq}` : `row id ${found.id} (seq ${found.seq})`;
  const what = {
    altered: 'its content does not match its hash (edited, or hashed without AUDIT_KEY)',
    missing: 'is missing (deleted)',
    inserted: 'was inserted: the row after it follows the row before it',
    'out of order': 'does not follow its predecessor (moved or reordered)',
    'tail missing': 'is missing: the chain ends before its recorded head (newest rows deleted)',
    recomputed: 'has the unkeyed sha256 of its content where AUDIT_KEY was due (the chain was recomputed without the key)',
    rewound: 'is missing: a signed checkpoint saw the chain reach it (the head was moved back)',
    rewritten: 'differs from what a signed checkpoint recorded (the chain was rewritten)',
    'pruned early': 'is gone although a signed checkpoint shows it younger than AUDIT_RETENTION (deleted before its time)',
  }[found.problem];
  return `audit chain broken in partition ${found.partition}: ${row} ${what}`;
}
