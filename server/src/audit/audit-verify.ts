import type { PrismaClient } from '../generated/prisma/client';
import { checkPartition, type ChainBreak, type StoredRow } from './audit-chain';

const PAGE = 5_000;

type RawRow = {
  id: bigint | number;
  partition: number;
  seq: bigint | number;
  at: Date;
  actor_user_id: string | null;
  actor_role: string;
  actor_practice_id: string | null;
  action: string;
  patient_id: string | null;
  object_type: string | null;
  object_id: string | null;
  request_id: string | null;
  client_address: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
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
export async function verifyAuditChains(prisma: PrismaClient): Promise<VerifyResult> {
  const heads = await prisma.auditChainHead.findMany({ orderBy: { partition: 'asc' } });
  let rowsChecked = 0;
  for (const head of heads) {
    const rows = readPartition(prisma, head.partition, Number(head.prunedThroughSeq), () => (rowsChecked += 1));
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

async function* readPartition(prisma: PrismaClient, partition: number, afterSeq: number, counted: () => void): AsyncGenerator<StoredRow> {
  let after = afterSeq;
  for (;;) {
    const page = await prisma.$queryRaw<RawRow[]>`
      SELECT id, partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id, object_type,
             object_id, request_id, client_address, outcome, prev_hash, hash
      FROM audit_events WHERE partition = ${partition} AND seq > ${after} ORDER BY seq LIMIT ${PAGE}`;
    for (const raw of page) {
      counted();
      yield toStored(raw);
    }
    if (page.length < PAGE) return;
    after = Number(page.at(-1)!.seq);
  }
}

function toStored(raw: RawRow): StoredRow {
  return {
    id: String(raw.id),
    partition: Number(raw.partition),
    seq: Number(raw.seq),
    at: raw.at instanceof Date ? raw.at : new Date(raw.at),
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
    prevHash: raw.prev_hash,
    hash: raw.hash,
  };
}
