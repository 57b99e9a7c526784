import { setTimeout as pause } from 'node:timers/promises';
import { TRANSACTION_LIMITS } from '../platform/database';
import { isAbortedTransactionError, isTransientTransactionError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { Sql, SqlDatabase, SqlWrite } from '../platform/sql';
import { appendEvents, type EventToAppend, type PendingEvent } from './outbox';
import type { OutboxDispatcher } from './outbox-dispatcher';
import type { TopicName, TopicPayload } from './topics';

/** How often a write is tried when PostgreSQL aborts it for a deadlock or serialization failure. */
const TRANSIENT_ATTEMPTS = 4;

/**
 * The longest pause before a write's second attempt, in ms (the third waits up to twice as long).
 * PostgreSQL does not queue row locks: the transaction a deadlock spared was waiting on a row the
 * aborted one held, and must wake up to take it. Run again at once, the aborted one can take that
 * row first and deadlock again (seen under CPU load, 3 times in 60 deadlocks). A short random
 * pause lets the spared one through; it costs only the rare write that was aborted.
 */
const RERUN_PAUSE_MS = 10;

/**
 * The one transaction type: every write of CareLine (a feature's change, its events, its audit
 * rows, its jobs) runs its statements on a Tx, so they commit or vanish together.
 */
export interface Tx extends Sql {
  /**
   * Adds an event to a stream of this transaction. The payload is built once its sequence number
   * is known (the payload carries it, for the subscriber's cursor). The events of a transaction
   * are written together when its work is done (one statement, outbox.ts), so the stream
   * counters' row locks are taken last and held only until commit.
   */
  emit<T extends TopicName>(stream: string, topic: T, build: (seq: number) => TopicPayload<T>): void;
  /**
   * A write the work does not wait for (a promise of statements already issued on this Tx, such
   * as an audit row): the transaction waits for it before it commits, and fails with it. Issued
   * just before the work ends, its statement leaves in the same write as the events (sql.ts).
   */
  alongside(write: Promise<unknown>): void;
}

/**
 * Sees every event a transaction emitted, inside that transaction, once its work is done (so
 * whatever it writes commits or rolls back with the events), and hears when it has committed,
 * before the events are published. The jobs layer enqueues mail and webhook jobs this way: a job
 * exists exactly when its event does; so are the delivery rows of this instance's subscribers
 * (graphql/delivery-rows.ts).
 *
 * `inTransaction` may run statements on `tx` and wait for them; it resolves with its last writes,
 * the statements nobody needs an answer from (undefined where there is nothing to write). Those
 * are sent together with COMMIT, so they cost no round trip of their own while the stream
 * counters' row locks are held (platform/sql.ts), and the transaction fails with them. Handed
 * back rather than sent, none of them can leave after COMMIT.
 */
export interface EventTap {
  inTransaction(tx: Sql, events: ReadonlyArray<PendingEvent<TopicName>>): Promise<ReadonlyArray<SqlWrite | undefined>>;
  /** The transaction that `inTransaction` saw with these same `events` (the same array) committed. */
  committed?(events: ReadonlyArray<PendingEvent<TopicName>>): void;
}

/**
 * Runs the writes: `run(tx => ...)` is a database transaction of statements (platform/sql.ts)
 * whose emitted events are written to the outbox in it and published once it has committed
 * (never before, and never forgotten: there is no other way to emit). Publishing is not awaited:
 * the change is durable and its events safe in the outbox, so the answer never waits on pub/sub;
 * the dispatcher's sweep retries what fails.
 */
export class Transactions {
  private readonly taps: EventTap[] = [];

  constructor(
    private readonly database: SqlDatabase,
    private readonly dispatcher: OutboxDispatcher,
    private readonly logger: Logger,
  ) {}

  /** Adds a tap that sees every transaction's events before it commits (see EventTap). */
  addTap(tap: EventTap): void {
    this.taps.push(tap);
  }

  /**
   * Runs `work` in one transaction. One aborted by a deadlock or serialization failure is run
   * again (up to TRANSIENT_ATTEMPTS times), so `work` must touch the database only through `tx`
   * (and, on the embedded database, anything else would wait for this very transaction).
   */
  async run<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt += 1) {
      const batch = new EventBatch(this.taps);
      try {
        const result = await this.database.transaction(
          async (sql) => {
            const value = await work(batch.txOn(sql));
            await batch.write(sql);
            return value;
          },
          { timeoutMs: TRANSACTION_LIMITS.timeoutMs },
        );
        if (batch.written.length > 0) for (const tap of this.taps) tap.committed?.(batch.written);
        void this.dispatcher.publishCommitted(batch.written);
        return result;
      } catch (thrown) {
        const error = await batch.rootCause(thrown);
        if (attempt >= TRANSIENT_ATTEMPTS || !isTransientTransactionError(error)) throw error;
        this.logger.info({ attempt }, 'transaction aborted by a deadlock or serialization failure; running it again');
        await pause(Math.random() * RERUN_PAUSE_MS * attempt);
      }
    }
  }
}

/** What one attempt of a transaction emitted: collected while its work runs, written at its end. */
class EventBatch {
  private readonly wanted: Array<EventToAppend<TopicName>> = [];
  private readonly alongside: Array<Promise<unknown>> = [];
  written: ReadonlyArray<PendingEvent<TopicName>> = [];

  constructor(private readonly taps: readonly EventTap[]) {}

  txOn(sql: Sql): Tx {
    return {
      query: (statement, values) => sql.query(statement, values),
      emit: (stream, topic, build) => {
        this.wanted.push({ stream, topic, build });
      },
      alongside: (write) => {
        // Observed here and awaited in write(): a rejection is never unhandled, nor lost.
        write.catch(() => undefined);
        this.alongside.push(write);
      },
    };
  }

  /**
   * Appends the events (beside the writes the work did not wait for), then lets the taps write
   * what they derive from them (jobs), in the same transaction. The taps' last writes are issued
   * here and not waited for: the work ends in this turn, and COMMIT leaves with them (sql.ts).
   */
  async write(sql: Sql): Promise<void> {
    const appended = this.wanted.length === 0 ? Promise.resolve([]) : appendEvents(sql, this.wanted);
    const [written] = await Promise.all([appended, ...this.alongside]);
    this.written = written;
    if (written.length === 0) return;
    const last: SqlWrite[] = [];
    for (const tap of this.taps) {
      for (const write of await tap.inTransaction(sql, written)) if (write) last.push(write);
    }
    for (const { statement, values } of last) void sql.query(statement, values).catch(() => undefined);
  }

  /**
   * The error to report for a failed attempt: a write the work did not wait for fails before the
   * statements behind it, which then only say the transaction was aborted (25P02); its own error
   * (a deadlock, which is run again) is the one that counts.
   */
  async rootCause(thrown: unknown): Promise<unknown> {
    for (const outcome of await Promise.allSettled(this.alongside)) {
      if (outcome.status === 'rejected' && !isAbortedTransactionError(outcome.reason)) return outcome.reason;
    }
    return thrown;
  }
}
