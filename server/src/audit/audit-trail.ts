import type { Viewer } from '../accounts/authorization';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { z } from 'zod';
import { WRITE_TRANSACTION_OPTIONS } from '../platform/database';
import { prismaSql, type Sql, type SqlDatabase, type Statement } from '../platform/sql';
import { int8 } from '../platform/sql-values';
import { AUDIT_PARTITIONS, hashOf, type ChainedContent } from './audit-chain';
import { actorOf, type AuditActor, type AuditEntry } from './audit-entry';

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
    private readonly sql: SqlDatabase,
    private readonly practiceOf: (viewer: Viewer, db: Tx) => Promise<string | null> = async () => null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the rows in the caller's transaction. */
  async write(tx: Tx, viewer: Viewer, entries: readonly AuditEntry[]): Promise<void> {
    await appendRows(prismaSql(tx), this.rowsOf(actorOf(viewer, await this.practiceOf(viewer, tx)), entries));
  }

  /**
   * The same in a raw-SQL transaction (events.sqlTransaction), for a caller that already knows the
   * actor's practice (`practiceId`, null for a patient): the booking path reads it with the rest.
   */
  async writeSql(sql: Sql, viewer: Viewer, practiceId: string | null, entries: readonly AuditEntry[]): Promise<void> {
    await appendRows(sql, this.rowsOf(actorOf(viewer, practiceId), entries));
  }

  /**
   * Appends the rows in a transaction of their own (batched with concurrent calls); resolves when
   * committed. `practiceId`: the actor's practice when the caller knows it already (a live
   * subscription looks it up once, not once per delivered event); unset, it is looked up.
   */
  async record(viewer: Viewer, entries: readonly AuditEntry[], practiceId?: string | null): Promise<void> {
    if (entries.length === 0) return;
    const rows = this.rowsOf(actorOf(viewer, practiceId === undefined ? await this.practiceOf(viewer, this.prisma) : practiceId), entries);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** The practice audit rows name for this actor (see the constructor). */
  actorPracticeOf(viewer: Viewer): Promise<string | null> {
    return this.practiceOf(viewer, this.prisma);
  }

  private rowsOf(actor: AuditActor, entries: readonly AuditEntry[]): Unchained[] {
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
        const rows = batch.flatMap((pending) => pending.rows);
        await this.sql.transaction((sql) => appendRows(sql, rows), { timeoutMs: WRITE_TRANSACTION_OPTIONS.timeout });
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }
}

const Head = z.object({ partition: z.number().int(), seq: int8, hash: z.string() });

const FREE_HEAD: Statement = {
  name: 'audit_free_head',
  text: 'SELECT partition, seq, hash FROM audit_chain_heads ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED',
};
const SOME_HEAD: Statement = {
  name: 'audit_some_head',
  text: 'SELECT partition, seq, hash FROM audit_chain_heads WHERE partition = $1::smallint FOR UPDATE',
};
const APPEND_ROWS: Statement = {
  name: 'audit_append_rows',
  text: `
    WITH inserted AS (
      INSERT INTO audit_events (partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id,
                                object_type, object_id, request_id, client_address, outcome, prev_hash, hash)
      SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::uuid[], $7::text[],
                           $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
      RETURNING 1
    )
    UPDATE audit_chain_heads SET seq = $16::bigint, hash = $17::text WHERE partition = $18::smallint`,
};

/**
 * Takes one chain for all the rows of this call: any chain head no other transaction holds
 * (FOR UPDATE SKIP LOCKED), so concurrent bookings never wait on each other for the audit; only
 * when all AUDIT_PARTITIONS heads are held does it wait for a random one. One head per
 * transaction also means audit writers cannot deadlock with each other. Then it chains the rows
 * onto that head, and inserts them and moves the head in one statement: two round trips (three
 * when every head is taken), whatever the number of rows.
 */
async function appendRows(sql: Sql, rows: readonly Unchained[]): Promise<void> {
  if (rows.length === 0) return;
  const [free] = await sql.query(FREE_HEAD, []);
  const [held] = free === undefined ? await sql.query(SOME_HEAD, [Math.floor(Math.random() * AUDIT_PARTITIONS)]) : [free];
  if (held === undefined) throw new Error('audit_chain_heads has no rows: the migration seeds them');
  const head = Head.parse(held);
  const partition = head.partition;
  let previous = { seq: Number(head.seq), hash: head.hash };
  const chained = rows.map((row) => {
    const content: ChainedContent = { ...row, partition, seq: previous.seq + 1, prevHash: previous.hash };
    const hash = hashOf(content);
    previous = { seq: content.seq, hash };
    return { ...content, hash };
  });
  const column = <T>(pick: (row: (typeof chained)[number]) => T): T[] => chained.map(pick);
  await sql.query(APPEND_ROWS, [
    column((r) => r.partition),
    column((r) => r.seq),
    column((r) => r.at.toISOString()),
    column((r) => r.actorUserId),
    column((r) => r.actorRole),
    column((r) => r.actorPracticeId),
    column((r) => r.action),
    column((r) => r.patientId),
    column((r) => r.objectType),
    column((r) => r.objectId),
    column((r) => r.requestId),
    column((r) => r.clientAddress),
    column((r) => r.outcome),
    column((r) => r.prevHash),
    column((r) => r.hash),
    previous.seq,
    previous.hash,
    partition,
  ]);
}
