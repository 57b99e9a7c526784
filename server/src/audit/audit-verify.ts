import { z } from 'zod';
import type { PrismaReader } from '../platform/database';
import type { Sql, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';
import { checkPartition, type ChainBreak, type StoredRow } from './audit-chain';

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
  prev_hash: z.string(),
  hash: z.string(),
});

const PARTITION_PAGE: Statement = {
  name: 'audit_verify_partition_page',
  text: `
    SELECT id, partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id, object_type,
           object_id, request_id, client_address, outcome, user_agent, prev_hash, hash
    FROM audit_events WHERE partition = $1::smallint AND seq > $2::bigint ORDER BY seq LIMIT $3::int`,
};

/** The outcome of checking every chain: how many rows were checked, and the first break if any. */
export interface VerifyResult {
  readonly rowsChecked: number;
  readonly partitions: number;
  readonly firstBreak: ChainBreak | undefined;
}

/**
 * Checks every partition's chain from where retention cut it to its head, reading rows in pages
 * (memory stays flat however long the trail). Stops at the first broken partition.
 */
export async function verifyAuditChains(database: { readonly prisma: PrismaReader; readonly sql: Sql }): Promise<VerifyResult> {
  const heads = await database.prisma.auditChainHead.findMany({ orderBy: { partition: 'asc' } });
  let rowsChecked = 0;
  for (const head of heads) {
    const rows = readPartition(database.sql, head.partition, Number(head.prunedThroughSeq), () => (rowsChecked += 1));
    const found = checkPartition(await collect(rows), {
      partition: head.partition,
      startSeq: Number(head.prunedThroughSeq),
      startHash: head.prunedThroughHash,
      headSeq: Number(head.seq),
      headHash: head.hash,
    });
    if (found) return { rowsChecked, partitions: heads.length, firstBreak: found };
  }
  return { rowsChecked, partitions: heads.length, firstBreak: undefined };
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
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
    prevHash: raw.prev_hash,
    hash: raw.hash,
  };
}
