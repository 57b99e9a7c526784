import type { Viewer } from '../accounts/authorization';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { WRITE_TRANSACTION_OPTIONS } from '../platform/database';
import { hashOf, partitionOf, type ChainedContent } from './audit-chain';
import { actorOf, type AuditEntry } from './audit-entry';

type Tx = Prisma.TransactionClient;
type Pending = { readonly rows: Unchained[]; resolve(): void; reject(error: unknown): void };
type Unchained = Omit<ChainedContent, 'seq' | 'prevHash'>;

/**
 * Writes audit rows, chained (audit-chain.ts). Two ways in, one format:
 * - `write(tx, viewer, entries)` inside the transaction of a change (events.transaction or the
 *   records transaction): the rows commit or vanish with the change. Call it last in the
 *   transaction, after emitting events: partition heads are then locked after stream counters by
 *   every writer alike, and held only until commit.
 * - `record(viewer, entries)` for reads and event deliveries: resolves once the rows are
 *   committed (await it before answering). Calls that arrive while a write is in flight are
 *   batched into the next one, so a page of patients or a burst of deliveries is one INSERT.
 */
export class AuditTrail {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the rows in the caller's transaction. */
  async write(tx: Tx, viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
    await appendRows(tx, this.rowsOf(viewer, entries));
  }

  /** Appends the rows in a transaction of their own (batched with concurrent calls); resolves when committed. */
  record(viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows: this.rowsOf(viewer, entries), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private rowsOf(viewer: Viewer, entries: readonly AuditEntry[]): Unchained[] {
    const actor = actorOf(viewer);
    const at = this.now();
    return entries.map((entry) => ({
      partition: partitionOf(entry.patientId),
      at,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorPracticeId: actor.practiceId,
      action: entry.action,
      patientId: entry.patientId,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      requestId: actor.requestId,
      clientAddress: actor.clientAddress,
      outcome: entry.outcome ?? 'SUCCESS',
    }));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    // Yield once so the calls of this tick (a page's rows, one event's deliveries) share the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.prisma.$transaction((tx) => appendRows(tx, batch.flatMap((pending) => pending.rows)), WRITE_TRANSACTION_OPTIONS);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }
}

/**
 * Locks the heads of the rows' partitions (in partition order, so concurrent writers never
 * deadlock on them), chains the rows onto them, and inserts the rows and moves the heads in one
 * statement: two round trips, whatever the number of rows.
 */
async function appendRows(tx: Tx, rows: readonly Unchained[]): Promise<void> {
  if (rows.length === 0) return;
  const partitions = [...new Set(rows.map((row) => row.partition))].sort((a, b) => a - b);
  const heads = await tx.$queryRaw<Array<{ partition: number; seq: bigint | number; hash: string }>>`
    SELECT partition, seq, hash FROM audit_chain_heads WHERE partition = ANY(${partitions}::smallint[]) ORDER BY partition FOR UPDATE`;
  const tip = new Map(heads.map((head) => [Number(head.partition), { seq: Number(head.seq), hash: head.hash }]));
  const chained = rows.map((row) => {
    const previous = tip.get(row.partition);
    if (!previous) throw new Error(`audit partition ${row.partition} has no head row`);
    const content: ChainedContent = { ...row, seq: previous.seq + 1, prevHash: previous.hash };
    const hash = hashOf(content);
    tip.set(row.partition, { seq: content.seq, hash });
    return { ...content, hash };
  });
  const moved = [...tip.entries()].filter(([partition]) => partitions.includes(partition));
  const column = <T>(pick: (row: (typeof chained)[number]) => T): T[] => chained.map(pick);
  await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO audit_events (partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id,
                                object_type, object_id, request_id, client_address, outcome, prev_hash, hash)
      SELECT * FROM unnest(${column((r) => r.partition)}::smallint[], ${column((r) => r.seq)}::bigint[],
                           ${column((r) => r.at.toISOString())}::timestamptz[], ${column((r) => r.actorUserId)}::uuid[],
                           ${column((r) => r.actorRole)}::text[], ${column((r) => r.actorPracticeId)}::uuid[],
                           ${column((r) => r.action)}::text[], ${column((r) => r.patientId)}::uuid[],
                           ${column((r) => r.objectType)}::text[], ${column((r) => r.objectId)}::text[],
                           ${column((r) => r.requestId)}::text[], ${column((r) => r.clientAddress)}::text[],
                           ${column((r) => r.outcome)}::text[], ${column((r) => r.prevHash)}::text[], ${column((r) => r.hash)}::text[])
      RETURNING 1
    )
    UPDATE audit_chain_heads AS h SET seq = v.seq, hash = v.hash
    FROM unnest(${moved.map(([partition]) => partition)}::smallint[], ${moved.map(([, head]) => head.seq)}::bigint[],
                ${moved.map(([, head]) => head.hash)}::text[]) AS v(partition, seq, hash)
    WHERE h.partition = v.partition`;
}
