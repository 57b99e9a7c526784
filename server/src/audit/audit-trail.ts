import type { Viewer } from '../accounts/authorization';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { WRITE_TRANSACTION_OPTIONS } from '../platform/database';
import { AUDIT_PARTITIONS, hashOf, type ChainedContent } from './audit-chain';
import { actorOf, type AuditEntry } from './audit-entry';

type Tx = Prisma.TransactionClient;
type Pending = { readonly rows: Unchained[]; resolve(): void; reject(error: unknown): void };
type Unchained = Omit<ChainedContent, 'partition' | 'seq' | 'prevHash'>;

/**
 * Writes audit rows, chained (audit-chain.ts). Two ways in, one format:
 * - `write(tx, viewer, entries)` inside the transaction of a change (events.transaction or the
 *   records transaction): the rows commit or vanish with the change. Call it last in the
 *   transaction, after emitting events: the chain head it locks is then held only until commit.
 * - `record(viewer, entries)` for reads and event deliveries: resolves once the rows are
 *   committed (await it before answering). Calls that arrive while a write is in flight are
 *   batched into the next one, so a page of patients or a burst of deliveries is one INSERT.
 */
export class AuditTrail {
  private queue: Pending[] = [];
  private flushing = false;

  /**
   * `practiceOf` names the actor's practice for the row (null: none): the composition root
   * passes the practices' membership lookup. It reads through `db`, the writing transaction when
   * there is one: a query beside an open transaction would wait for a second connection (the
   * embedded database has one; a busy pool has none free).
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly practiceOf: (viewer: Viewer, db: Tx) => Promise<string | null> = async () => null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the rows in the caller's transaction. */
  async write(tx: Tx, viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
    await appendRows(tx, await this.rowsOf(viewer, entries, tx));
  }

  /** Appends the rows in a transaction of their own (batched with concurrent calls); resolves when committed. */
  async record(viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = await this.rowsOf(viewer, entries, this.prisma);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async rowsOf(viewer: Viewer, entries: readonly AuditEntry[], db: Tx): Promise<Unchained[]> {
    const actor = actorOf(viewer, await this.practiceOf(viewer, db));
    const at = this.now();
    return entries.map((entry) => ({
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

type Head = { partition: number; seq: bigint | number; hash: string };

/**
 * Takes one chain for all the rows of this call: any chain head no other transaction holds
 * (FOR UPDATE SKIP LOCKED), so concurrent bookings never wait on each other for the audit; only
 * when all AUDIT_PARTITIONS heads are held does it wait for a random one. One head per
 * transaction also means audit writers cannot deadlock with each other. Then it chains the rows
 * onto that head, and inserts them and moves the head in one statement: three round trips at
 * most, whatever the number of rows.
 */
async function appendRows(tx: Tx, rows: readonly Unchained[]): Promise<void> {
  if (rows.length === 0) return;
  const [free] = await tx.$queryRaw<Head[]>`
    SELECT partition, seq, hash FROM audit_chain_heads ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED`;
  const head =
    free ??
    (await tx.$queryRaw<Head[]>`
      SELECT partition, seq, hash FROM audit_chain_heads WHERE partition = ${Math.floor(Math.random() * AUDIT_PARTITIONS)} FOR UPDATE`)[0];
  if (!head) throw new Error('audit_chain_heads has no rows: the migration seeds them');
  const partition = Number(head.partition);
  let previous = { seq: Number(head.seq), hash: head.hash };
  const chained = rows.map((row) => {
    const content: ChainedContent = { ...row, partition, seq: previous.seq + 1, prevHash: previous.hash };
    const hash = hashOf(content);
    previous = { seq: content.seq, hash };
    return { ...content, hash };
  });
  const moved: Array<[number, { seq: number; hash: string }]> = [[partition, previous]];
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
