import { z } from 'zod';
import type { Sql, SqlDatabase, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';
import { ChainWalker, type ChainBreak, type StoredRow } from './audit-chain';
import { readCheckpoints } from './audit-checkpoints';

const PAGE = 5_000;

const StoredColumns = z.object({
  id: int8,
  partition: z.number().int(),
  seq: int8,
  at: timestamp,
  actor_user_id: z.string().nullable(),
  actor_role: z.string(),
  actor_practice_id: z.string().nullable(),
  action: z.string(),
  patient_id: z.string().nullable(),
  object_type: z.string().nullable(),
  object_id: z.string().nullable(),
  request_id: z.string().nullable(),
  client_address: z.string().nullable(),
  outcome: z.string(),
  user_agent: z.string().nullable(),
  app_id: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});

const PARTITION_PAGE: Statement = {
  name: 'audit_verify_partition_page',
  text: `
    SELECT id, partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id, object_type,
           object_id, request_id, client_address, outcome, user_agent, app_id, prev_hash, hash
    FROM audit_events WHERE partition = $1::smallint AND seq > $2::bigint ORDER BY seq LIMIT $3::int`,
};

/** Read-only, one snapshot for the whole check (the first statement of its transaction). */
const SNAPSHOT: Statement = {
  name: 'audit_verify_snapshot',
  text: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
};

/** How long one check may hold its snapshot (a trail of years is read in pages within it). */
const VERIFY_TIMEOUT_MS = 6 * 3_600_000;

const HEADS: Statement = {
  name: 'audit_verify_heads',
  text: `
    SELECT partition, seq, hash, pruned_through_seq, pruned_through_hash, keyed_from_seq
    FROM audit_chain_heads ORDER BY partition`,
};

const HeadRow = z
  .object({
    partition: z.number().int(),
    seq: int8,
    hash: z.string(),
    pruned_through_seq: int8,
    pruned_through_hash: z.string(),
    keyed_from_seq: int8,
  })
  .transform((row) => ({
    partition: row.partition,
    seq: row.seq,
    hash: row.hash,
    prunedThroughSeq: row.pruned_through_seq,
    prunedThroughHash: row.pruned_through_hash,
    keyedFromSeq: row.keyed_from_seq,
  }));

/** The outcome of checking every chain: how many rows and checkpoints were checked, and the first break if any. */
export interface VerifyResult {
  readonly rowsChecked: number;
  readonly partitions: number;
  /** Signed checkpoint lines read from the file (0: none yet, or no file). */
  readonly checkpoints: number;
  readonly firstBreak: ChainBreak | undefined;
}

export interface VerifyOptions {
  /** AUDIT_KEY: rows from each chain's keyed_from_seq on, and every checkpoint, are HMACs under it. */
  readonly key: string;
  /** AUDIT_CHECKPOINT_FILE; a missing file means no checkpoints. */
  readonly checkpointFile: string;
  /** AUDIT_RETENTION: rows younger than this must not have been pruned. */
  readonly retentionSeconds: number;
  readonly now: Date;
}

/** What the checkpoints say about one chain, kept small (64 of these, however long the file). */
interface Checkpointed {
  /** The furthest seq any checkpoint saw. */
  furthestSeq: number;
  /** The keyed_from_seq values checkpoints recorded (one, unless someone moved it). */
  readonly keyedFrom: Set<number>;
  /** The latest time a checkpoint saw the chain's head before the row retention says it pruned through. */
  latestBeforePrunedAt: string | undefined;
  /** Hashes recorded for seqs still in the database: the first and the last checkpoint of the chain. */
  readonly hashes: Map<number, string>;
  /** Hash recorded at exactly the seq retention pruned through. */
  atPrunedThrough: string | undefined;
}

/**
 * Checks every chain from where retention cut it to its head, reading rows in pages (memory stays
 * flat however long the trail), against the signed checkpoints in `checkpointFile`. The first
 * problem found is returned: a checkpoint line not signed with the key, then per chain a head
 * moved back before what a checkpoint saw ('rewound'), keyed_from_seq or a checkpointed hash
 * changed ('rewritten'), rows cut by "retention" that a checkpoint shows were younger than
 * AUDIT_RETENTION ('pruned early'), and then the rows themselves (audit-chain.ts, ChainWalker).
 */
export async function verifyAuditChains(database: { readonly sql: SqlDatabase }, options: VerifyOptions): Promise<VerifyResult> {
  // One snapshot for the heads and every row: a running server appending meanwhile adds rows past
  // the heads read, which would otherwise look inserted.
  return database.sql.transaction(
    async (tx) => {
      await tx.query(SNAPSHOT, []);
      return verifyInSnapshot(tx, options);
    },
    { timeoutMs: VERIFY_TIMEOUT_MS },
  );
}

async function verifyInSnapshot(sql: Sql, options: VerifyOptions): Promise<VerifyResult> {
  const heads = (await sql.query(HEADS, [])).map((raw) => HeadRow.parse(raw));
  const prunedThrough = new Map(heads.map((head) => [head.partition, Number(head.prunedThroughSeq)]));
  const seen = new Map<number, Checkpointed>();
  let checkpoints = 0;
  for await (const { line, checkpoint } of readCheckpoints(options.checkpointFile, options.key)) {
    if (!checkpoint)
      return {
        rowsChecked: 0,
        partitions: heads.length,
        checkpoints,
        firstBreak: { partition: null, seq: line, id: null, problem: 'forged checkpoint' },
      };
    checkpoints += 1;
    for (const [partition, seq, hash, , keyedFromSeq] of checkpoint.chains) {
      let chain = seen.get(partition);
      if (!chain) {
        chain = { furthestSeq: seq, keyedFrom: new Set(), latestBeforePrunedAt: undefined, hashes: new Map(), atPrunedThrough: undefined };
        seen.set(partition, chain);
        chain.hashes.set(seq, hash); // the chain's first checkpoint
      }
      chain.furthestSeq = Math.max(chain.furthestSeq, seq);
      chain.keyedFrom.add(keyedFromSeq);
      const pruned = prunedThrough.get(partition) ?? 0;
      if (seq < pruned) chain.latestBeforePrunedAt = checkpoint.at;
      else if (seq === pruned) chain.atPrunedThrough = hash;
      else if (seq === chain.furthestSeq) {
        // Keep the first and the latest: the rows between are HMAC-chained to both.
        const first = chain.hashes.keys().next().value;
        for (const kept of [...chain.hashes.keys()]) if (kept !== first) chain.hashes.delete(kept);
        chain.hashes.set(seq, hash);
      }
    }
  }
  const cutoff = options.now.getTime() - options.retentionSeconds * 1000;
  let rowsChecked = 0;
  for (const head of heads) {
    const bounds = {
      partition: head.partition,
      startSeq: Number(head.prunedThroughSeq),
      startHash: head.prunedThroughHash,
      headSeq: Number(head.seq),
      headHash: head.hash,
      keyedFromSeq: Number(head.keyedFromSeq),
    };
    const chain = seen.get(head.partition);
    const at = (problem: ChainBreak['problem'], seq: number): VerifyResult => ({
      rowsChecked,
      partitions: heads.length,
      checkpoints,
      firstBreak: { partition: head.partition, seq, id: null, problem },
    });
    if (chain) {
      if ([...chain.keyedFrom].some((seq) => seq !== bounds.keyedFromSeq)) return at('rewritten', bounds.keyedFromSeq);
      if (chain.furthestSeq > bounds.headSeq) return at('rewound', bounds.headSeq + 1);
      if (chain.latestBeforePrunedAt !== undefined && new Date(chain.latestBeforePrunedAt).getTime() >= cutoff) {
        return at('pruned early', bounds.startSeq);
      }
      if (chain.atPrunedThrough !== undefined && chain.atPrunedThrough !== bounds.startHash) return at('rewritten', bounds.startSeq);
    }
    const hashes = new Map([...(chain?.hashes ?? new Map<number, string>())].filter(([seq]) => seq > bounds.startSeq));
    const walker = new ChainWalker(bounds, options.key, hashes);
    let found: ChainBreak | undefined;
    for await (const row of readPartition(sql, head.partition, bounds.startSeq, () => (rowsChecked += 1))) {
      found = walker.next(row);
      if (found) break;
    }
    found ??= walker.end();
    if (found) return { rowsChecked, partitions: heads.length, checkpoints, firstBreak: found };
  }
  return { rowsChecked, partitions: heads.length, checkpoints, firstBreak: undefined };
}

async function* readPartition(sql: Sql, partition: number, afterSeq: number, counted: () => void): AsyncGenerator<StoredRow> {
  let after = afterSeq;
  for (;;) {
    const page = (await sql.query(PARTITION_PAGE, [partition, after, PAGE])).map((raw) => toStored(StoredColumns.parse(raw)));
    for (const row of page) {
      counted();
      yield row;
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    after = last.seq;
  }
}

function toStored(raw: z.infer<typeof StoredColumns>): StoredRow {
  return {
    id: String(raw.id),
    partition: raw.partition,
    seq: Number(raw.seq),
    at: raw.at,
    actorUserId: raw.actor_user_id,
    actorRole: raw.actor_role,
    actorPracticeId: raw.actor_practice_id,
    action: raw.action,
    patientId: raw.patient_id,
    objectType: raw.object_type,
    objectId: raw.object_id,
    requestId: raw.request_id,
    clientAddress: raw.client_address,
    outcome: raw.outcome,
    userAgent: raw.user_agent,
    appId: raw.app_id,
    prevHash: raw.prev_hash,
    hash: raw.hash,
  };
}
