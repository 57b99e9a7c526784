import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Sql, Statement } from '../platform/sql';
import { int8 } from '../platform/sql-values';

/**
 * Signed checkpoints of the audit chains, appended to AUDIT_CHECKPOINT_FILE: what the database
 * alone cannot prove. A keyed chain shows any row edited, removed or added in its middle, but
 * someone who can write the database can still delete a chain's newest rows and move its head
 * back, or delete its oldest rows and claim retention did it. A checkpoint, kept outside the
 * database and signed with AUDIT_KEY, says how far each chain had reached and when: audit:verify
 * compares the database with it (audit-verify.ts).
 *
 * One checkpoint is one JSON line: `{at, chains: [[partition, seq, hash, prunedThroughSeq,
 * keyedFromSeq], ...], mac}`, `mac` an HMAC-SHA256 under AUDIT_KEY over a domain-separated text
 * (no row's hash is over the same text).
 */

/** One chain's state: [partition, seq, hash, prunedThroughSeq, keyedFromSeq]. */
export type CheckpointChain = readonly [number, number, string, number, number];

export interface Checkpoint {
  /** When the heads were read (ISO). */
  readonly at: string;
  readonly chains: readonly CheckpointChain[];
}

const MAC_DOMAIN = 'careline audit checkpoint v1\n';

/** The checkpoint's HMAC (hex) under AUDIT_KEY. */
export function checkpointMac(checkpoint: Checkpoint, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8'))
    .update(MAC_DOMAIN + JSON.stringify({ at: checkpoint.at, chains: checkpoint.chains }))
    .digest('hex');
}

/** The line appended to the file, newline included. */
export function checkpointLine(checkpoint: Checkpoint, key: string): string {
  return `${JSON.stringify({ at: checkpoint.at, chains: checkpoint.chains, mac: checkpointMac(checkpoint, key) })}\n`;
}

const HEADS: Statement = {
  name: 'audit_checkpoint_heads',
  text: 'SELECT partition, seq, hash, pruned_through_seq, keyed_from_seq FROM audit_chain_heads ORDER BY partition',
};

const HeadRow = z.object({
  partition: z.number().int(),
  seq: int8,
  hash: z.string(),
  pruned_through_seq: int8,
  keyed_from_seq: int8,
});

/** Every chain's head as the database has it now. */
export async function readChainHeads(sql: Sql): Promise<CheckpointChain[]> {
  return (await sql.query(HEADS, [])).map((raw) => {
    const row = HeadRow.parse(raw);
    return [row.partition, Number(row.seq), row.hash, Number(row.pruned_through_seq), Number(row.keyed_from_seq)] as const;
  });
}

/** Appends one signed line and flushes it to disk (a checkpoint that a crash loses proves nothing). */
export async function appendCheckpoint(file: string, checkpoint: Checkpoint, key: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.write(checkpointLine(checkpoint, key));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export interface CheckpointOptions {
  readonly sql: Sql;
  readonly key: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Checkpoints every chain now (a failure stops the start: the file must be writable), then every
 * `intervalMs` the chains that moved since (a failure is logged and retried at the next tick), and
 * the moved ones once more at `stop`.
 */
export async function startAuditCheckpoints(options: CheckpointOptions): Promise<{ stop(): Promise<void> }> {
  const { sql, key, file, clock, logger } = options;
  const written = new Map<number, string>();
  const checkpoint = async (onlyMoved: boolean) => {
    const at = clock().toISOString();
    const chains = (await readChainHeads(sql)).filter((chain) => !onlyMoved || written.get(chain[0]) !== JSON.stringify(chain));
    if (chains.length === 0) return;
    await appendCheckpoint(file, { at, chains }, key);
    for (const chain of chains) written.set(chain[0], JSON.stringify(chain));
  };
  await checkpoint(false);
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(() =>
      checkpoint(true).catch((error: unknown) =>
        logger.error({ err: error, file }, 'audit checkpoint failed; retrying at the next interval'),
      ),
    );
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      tick();
      await running;
    },
  };
}

const CheckpointJson = z.object({
  at: z.string().datetime(),
  chains: z.array(z.tuple([z.number().int(), z.number().int(), z.string(), z.number().int(), z.number().int()])),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A line of the file: its checkpoint, or `undefined` when it is malformed or its mac is not AUDIT_KEY's. */
export interface ReadCheckpoint {
  /** 1-based. */
  readonly line: number;
  readonly checkpoint: Checkpoint | undefined;
}

/** Reads the file line by line (it grows for years: never held whole). A missing file yields nothing. */
export async function* readCheckpoints(file: string, key: string): AsyncGenerator<ReadCheckpoint> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return;
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    yield { line, checkpoint: signedCheckpoint(text, key) };
  }
}

function signedCheckpoint(text: string, key: string): Checkpoint | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = CheckpointJson.safeParse(json);
  if (!parsed.success) return undefined;
  const checkpoint: Checkpoint = { at: parsed.data.at, chains: parsed.data.chains };
  const expected = Buffer.from(checkpointMac(checkpoint, key), 'hex');
  return timingSafeEqual(expected, Buffer.from(parsed.data.mac, 'hex')) ? checkpoint : undefined;
}
