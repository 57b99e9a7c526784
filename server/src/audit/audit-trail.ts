import type { Viewer } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import type { Sql, SqlWrite, Statement } from '../platform/sql';
import { AUDIT_PARTITIONS, chainedMiddle, type ChainedContent } from './audit-chain';
import { actorOf, type AuditActor, type AuditEntry } from './audit-entry';
import { DeniedRowBound } from './denied-bound';
import { objectOf, storedUserAgent, type SecurityEvent } from './security-events';

type Pending = { readonly rows: Unchained[]; resolve(): void; reject(error: unknown): void };
type Unchained = Omit<ChainedContent, 'partition' | 'seq' | 'prevHash'>;

export interface AuditTrailOptions {
  /**
   * Where `record`'s batched rows are written (Database.prioritySql): a read's answer and every
   * live event wait for them, so they must not queue for a connection behind the pool's
   * transactions. Default: `sql`.
   */
  readonly recordSql?: Sql;
  /** At most one DENIED row per (actor, action, patient) per minute (denied-bound.ts). */
  readonly denied?: DeniedRowBound;
}

/**
 * Writes audit rows, chained (audit-chain.ts). Two ways in, one format, one statement:
 * - `write(tx, viewer, entries)` inside the transaction of a change (Transactions.run): the rows
 *   commit or vanish with the change. The chain head it locks is held until commit; only the
 *   transaction's events and jobs are written after it.
 * - `record(viewer, entries)` for reads and event deliveries: resolves once the rows are
 *   committed (await it before answering). Calls that arrive while a write is in flight are
 *   batched into the next one, so a page of patients or a burst of deliveries is one INSERT.
 */
export class AuditTrail {
  private queue: Pending[] = [];
  private flushing = false;

  /**
   * `practiceOf` names the actor's practice for the row (null: none): the composition root
   * passes the practices' membership lookup. It reads through `sql`, the writing transaction when
   * there is one: a query beside an open transaction would wait for a second connection (the
   * embedded database has one; a busy pool has none free).
   */
  constructor(
    private readonly sql: Sql,
    private readonly practiceOf: (viewer: Viewer, sql: Sql) => Promise<string | null>,
    private readonly clock: Clock,
    /** AUDIT_KEY: each row's hash is an HMAC under it (audit-chain.ts, keyedHashOf). */
    private readonly key: string,
    options: AuditTrailOptions = {},
  ) {
    this.recordSql = options.recordSql ?? sql;
    this.denied = options.denied ?? new DeniedRowBound();
  }

  private readonly recordSql: Sql;
  private readonly denied: DeniedRowBound;

  /**
   * Appends the rows in the caller's transaction. `practiceId`: the actor's practice when the
   * caller knows it already (null for none; the booking path reads it with the rest); unset, it
   * is looked up in the transaction.
   */
  async write(tx: Sql, viewer: Viewer, entries: readonly AuditEntry[], practiceId?: string | null): Promise<void> {
    if (entries.length === 0) return;
    const actorPractice = practiceId === undefined ? await this.practiceOf(viewer, tx) : practiceId;
    await appendRows(tx, this.key, this.rowsOf(actorOf(viewer, actorPractice), entries));
  }

  /**
   * Appends the rows in the caller's transaction for an actor who is not a signed-in viewer (a
   * webhook disclosure: audit-entry.ts webhookActor).
   */
  async writeAs(tx: Sql, actor: AuditActor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendRows(tx, this.key, this.rowsOf(actor, entries));
  }

  /**
   * Appends the rows on their own (one statement, batched with concurrent calls); resolves when
   * committed. `practiceId`: the actor's practice when the caller knows it already (a live
   * subscription looks it up once, not once per delivered event); unset, it is looked up.
   */
  async record(viewer: Viewer, all: readonly AuditEntry[], practiceId?: string | null): Promise<void> {
    // A flood of refusals writes one row per (actor, action, patient) per minute, not one each.
    const now = this.clock();
    const entries = all.filter(
      (entry) => entry.outcome !== 'DENIED' || this.denied.admit(viewer.userId, entry.action, entry.patientId, now),
    );
    if (entries.length === 0) return;
    const rows = this.rowsOf(actorOf(viewer, practiceId === undefined ? await this.practiceOf(viewer, this.sql) : practiceId), entries);
    return this.enqueue(rows);
  }

  /**
   * The delivery rows of events a transaction emits, for its subscribers on this instance
   * (graphql/delivery-rows.ts): one statement, sent with the transaction's COMMIT, so the rows
   * commit or vanish with the events. Each actor's practice is known (looked up when its
   * subscription began). Unlike `record`, nothing reads the statement's answer: the chain heads
   * it needs are seeded by the migrations, and the restricted application role cannot delete
   * them (docs/operating.md).
   */
  deliveryRowsWrite(deliveries: ReadonlyArray<{ viewer: Viewer; practiceId: string | null; entry: AuditEntry }>): SqlWrite | undefined {
    if (deliveries.length === 0) return undefined;
    return appendRowsWrite(
      this.key,
      deliveries.flatMap(({ viewer, practiceId, entry }) => this.rowsOf(actorOf(viewer, practiceId), [entry])),
    );
  }

  /**
   * Writes a security event (security-events.ts) in the caller's transaction, so it commits or
   * vanishes with the change it records: a removal, an invitation, a password or MFA change, a
   * revocation. Call it inside `Transactions.run(async (tx) => ...)` with that `tx`:
   *
   *     await audit.writeSecurityEvent(tx, {
   *       action: SecurityAction.PasswordChanged, outcome: SecurityOutcome.Success,
   *       actorUserId: viewer.userId, actorRole: viewer.role, practiceId, request: viewer.request,
   *     });
   *
   * The row has no patient, `actor_practice_id` = event.practiceId, the request's id, client
   * address and user agent, and is chained like every audit row.
   */
  async writeSecurityEvent(tx: Sql, event: SecurityEvent): Promise<void> {
    await appendRows(tx, this.key, [this.securityRow(event)]);
  }

  /**
   * Records a security event on its own, committed when the promise resolves (batched with
   * concurrent audit rows). For what has no transaction to join or whose transaction rolls back:
   * a failed or locked-out sign-in, a wrong MFA code. Await it before answering.
   */
  recordSecurityEvent(event: SecurityEvent): Promise<void> {
    return this.enqueue([this.securityRow(event)]);
  }

  private securityRow(event: SecurityEvent): Unchained {
    return {
      at: this.clock(),
      actorUserId: storedUuid(event.actorUserId),
      actorRole: event.actorRole,
      actorPracticeId: storedUuid(event.practiceId),
      action: event.action,
      patientId: null,
      ...objectOf(event),
      requestId: event.request.id,
      clientAddress: event.request.clientAddress ?? null,
      outcome: event.outcome,
      userAgent: storedUserAgent(event.request.userAgent),
      appId: storedUuid(event.request.appId ?? null),
    };
  }

  private enqueue(rows: Unchained[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** The practice audit rows name for this actor (see the constructor). */
  actorPracticeOf(viewer: Viewer): Promise<string | null> {
    return this.practiceOf(viewer, this.sql);
  }

  private rowsOf(actor: AuditActor, entries: readonly AuditEntry[]): Unchained[] {
    const at = this.clock();
    return entries.map((entry) => ({
      at,
      actorUserId: storedUuid(actor.userId),
      actorRole: actor.role,
      actorPracticeId: storedUuid(actor.practiceId),
      action: entry.action,
      patientId: storedUuid(entry.patientId),
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      requestId: actor.requestId,
      clientAddress: actor.clientAddress,
      outcome: entry.outcome ?? 'SUCCESS',
      userAgent: null,
      appId: storedUuid(actor.appId),
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
        // One statement, so no transaction around it: it commits on its own.
        await appendRows(
          this.recordSql,
          this.key,
          batch.flatMap((pending) => pending.rows),
        );
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }
}

/**
 * Chains the rows onto one audit chain head and moves the head, in one statement (so a batch of
 * deliveries needs no transaction of its own, and a change's transaction one round trip). The
 * head is any one no other transaction holds (FOR UPDATE SKIP LOCKED), so concurrent writers
 * never wait on each other for the audit; only when all AUDIT_PARTITIONS heads are held does it
 * wait for the one named by $15 (random). One head per statement also means audit writers cannot
 * deadlock with each other. Each row's hash is HMAC-SHA256 under AUDIT_KEY ($17, pgcrypto's
 * `hmac`) over canonicalText (audit-chain.ts), built here from the head's partition and seq, the
 * row's `middle` (its content as JSON, made in TypeScript) and its predecessor's hash;
 * audit:verify recomputes it with keyedHashOf. The key is a bound parameter, never stored: see
 * docs/security.md on keeping PostgreSQL from logging parameters.
 */
const APPEND_ROWS: Statement = {
  name: 'audit_append_chained',
  text: `
    WITH RECURSIVE
    free AS (SELECT partition, seq, hash FROM audit_chain_heads ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED),
    head AS (
      SELECT partition, seq, hash FROM free
      UNION ALL
      SELECT * FROM (SELECT partition, seq, hash FROM audit_chain_heads
                     WHERE partition = $15::smallint AND NOT EXISTS (SELECT 1 FROM free) FOR UPDATE) AS busy
    ),
    wanted AS (
      SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::uuid[], $8::text[],
                           $9::text[], $10::text[], $11::text[], $12::text[], $16::text[], $18::uuid[])
                    WITH ORDINALITY AS w(middle, at, actor_user_id, actor_role, actor_practice_id, action, patient_id, object_type,
                                         object_id, request_id, client_address, outcome, user_agent, app_id, ord)
    ),
    chain AS (
      SELECT 0::bigint AS ord, partition, seq, hash, NULL::text AS prev_hash FROM head
      UNION ALL
      SELECT w.ord, c.partition, c.seq + 1,
             encode(hmac(convert_to('[' || c.partition || ',' || (c.seq + 1) || ',' || w.middle || ',"' || c.hash || '"]', 'UTF8'),
                         convert_to($17::text, 'UTF8'), 'sha256'), 'hex'),
             c.hash
      FROM chain c JOIN wanted w ON w.ord = c.ord + 1
    ),
    inserted AS (
      INSERT INTO audit_events (partition, seq, at, actor_user_id, actor_role, actor_practice_id, action, patient_id,
                                object_type, object_id, request_id, client_address, outcome, user_agent, app_id, prev_hash, hash)
      SELECT c.partition, c.seq, w.at, w.actor_user_id, w.actor_role, w.actor_practice_id, w.action, w.patient_id,
             w.object_type, w.object_id, w.request_id, w.client_address, w.outcome, w.user_agent, w.app_id, c.prev_hash, c.hash
      FROM chain c JOIN wanted w ON w.ord = c.ord
      RETURNING 1
    )
    UPDATE audit_chain_heads AS h SET seq = last.seq, hash = last.hash
    FROM (SELECT partition, seq, hash FROM chain WHERE ord = $13::bigint) AS last
    WHERE h.partition = last.partition AND $14::int = (SELECT count(*) FROM inserted)
    RETURNING h.partition`,
};

/** Appends the rows to one chain (APPEND_ROWS): one round trip, whatever the number of rows. */
async function appendRows(sql: Sql, key: string, rows: readonly Unchained[]): Promise<void> {
  if (rows.length === 0) return;
  const { statement, values } = appendRowsWrite(key, rows);
  const moved = await sql.query(statement, values);
  if (moved.length !== 1) throw new Error('audit rows were not chained: audit_chain_heads has no rows (the migration seeds them)');
}

function appendRowsWrite(key: string, rows: readonly Unchained[]): SqlWrite {
  const column = <T>(pick: (row: Unchained) => T): T[] => rows.map(pick);
  const values = [
    column(chainedMiddle),
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
    rows.length,
    rows.length,
    Math.floor(Math.random() * AUDIT_PARTITIONS),
    column((r) => r.userAgent),
    key,
    column((r) => r.appId ?? null),
  ];
  return { statement: APPEND_ROWS, values };
}

/**
 * A uuid column's value as PostgreSQL stores it (lower case). The hash is taken over the text made
 * here, so an id the client wrote in upper case must be chained as it will be read back.
 */
function storedUuid(id: string | null): string | null {
  return id === null ? null : id.toLowerCase();
}
