import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { WRITE_TRANSACTION_OPTIONS } from '../platform/database';
import { prismaSql, type Sql, type SqlDatabase } from '../platform/sql';
import { cursorExpired, isTransientTransactionError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { mapIterator, SKIP } from './async-iterators';
import { decodeEventCursor } from './cursors';
import { appendEvents, isBeyondRetention, readEventsAfter, readStreamPosition, type EventToAppend, type PendingEvent } from './outbox';
import type { OutboxDispatcher } from './outbox-dispatcher';
import type { AppPubSub } from './pubsub';
import { readStream } from './stream-reader';
import { payloadOf, type StreamMessage, type TopicName, type TopicPayload } from './topics';

/** How often a write is tried when PostgreSQL aborts it for a deadlock or serialization failure. */
const TRANSIENT_ATTEMPTS = 4;

/**
 * Adds an event to a stream in the running transaction. The payload is built once its sequence
 * number is known (the payload carries it, for the subscriber's cursor). The events of a
 * transaction are written together when its work is done (one statement, outbox.ts), so the
 * stream counters' row locks are taken last and held only until commit.
 */
export type Emit = <T extends TopicName>(stream: string, topic: T, build: (seq: number) => TopicPayload<T>) => void;

/**
 * Sees every event a transaction emitted, inside that transaction, once its work is done (so
 * whatever it writes commits or rolls back with the events), and hears when it has committed.
 * The jobs layer enqueues mail and webhook jobs this way: a job exists exactly when its event does.
 */
export interface EventTap {
  inTransaction(sql: Sql, events: ReadonlyArray<PendingEvent<TopicName>>): Promise<void>;
  committed?(): void;
}

/** What a subscription reads: one topic of one outbox stream, optionally from a cursor. */
export interface StreamSubscription<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** An event cursor from an earlier event of this stream; unset: events committed from now on. */
  readonly after?: string | null;
  /** Runs before each event is sent; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>): void;
}

/**
 * Thrown by a subscription's iterator when its consumer fell more than
 * SUBSCRIPTION_MAX_QUEUED_EVENTS behind. The transport closes that socket as a slow consumer
 * (1013); the client reconnects and resumes from its cursor, so nothing is lost.
 */
export class SlowConsumerError extends Error {
  constructor() {
    super('The subscriber does not keep up with its events.');
    this.name = 'SlowConsumerError';
  }
}

/**
 * The one way every feature writes events and subscribes to them, so the guarantees (commit
 * order, published after commit, exactly once, resume from a cursor, CURSOR_EXPIRED, per-event
 * authorization, slow-consumer cut-off) hold for every event type alike.
 */
export class EventStreams {
  private readonly taps: EventTap[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlDatabase,
    private readonly pubSub: AppPubSub,
    private readonly dispatcher: OutboxDispatcher,
    private readonly logger: Logger,
    private readonly options: { readonly maxQueuedEvents: number },
  ) {}

  /** Adds a tap that sees every transaction's events before it commits (see EventTap). */
  addTap(tap: EventTap): void {
    this.taps.push(tap);
  }

  /**
   * Runs `work` in one database transaction (Prisma's); what it emits is written to the outbox in
   * that transaction and published once it has committed (never before, and never forgotten:
   * there is no other way to emit). Publishing is not awaited: the change is durable and its
   * events safe in the outbox, so the answer never waits on pub/sub; the dispatcher's sweep
   * retries what fails. A transaction aborted by a deadlock or serialization failure is run again
   * (up to TRANSIENT_ATTEMPTS times), so `work` must only touch the database through `tx`.
   */
  transaction<R>(
    work: (tx: Prisma.TransactionClient, emit: Emit) => Promise<R>,
    options: { readonly maxWait?: number; readonly timeout?: number } = WRITE_TRANSACTION_OPTIONS,
  ): Promise<R> {
    return this.retried((batch) =>
      this.prisma.$transaction(async (tx) => {
        const result = await work(tx, batch.emit);
        await batch.write(prismaSql(tx));
        return result;
      }, options),
    );
  }

  /**
   * The same guarantees on raw SQL (platform/sql.ts), for the hot paths whose every round trip
   * counts: booking and appointment changes.
   */
  sqlTransaction<R>(work: (sql: Sql, emit: Emit) => Promise<R>): Promise<R> {
    return this.retried((batch) =>
      this.sql.transaction(async (sql) => {
        const result = await work(sql, batch.emit);
        await batch.write(sql);
        return result;
      }, { timeoutMs: WRITE_TRANSACTION_OPTIONS.timeout }),
    );
  }

  private async retried<R>(run: (batch: EventBatch) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt += 1) {
      const batch = new EventBatch(this.taps);
      try {
        const result = await run(batch);
        void this.dispatcher.publishCommitted(batch.written);
        if (batch.written.length > 0) for (const tap of this.taps) tap.committed?.();
        return result;
      } catch (error) {
        if (attempt >= TRANSIENT_ATTEMPTS || !isTransientTransactionError(error)) throw error;
        this.logger.info({ attempt }, 'transaction aborted by a deadlock or serialization failure; running it again');
      }
    }
  }

  /**
   * One topic of a stream, strictly in commit order and each event once (stream-reader.ts). The
   * live channel is subscribed before the stream's position is read, so no event falls between;
   * with `after`, every stored event after the cursor comes first, and CURSOR_EXPIRED when some
   * were pruned. Authorize the viewer before calling. The iterator throws SlowConsumerError when
   * its consumer falls too far behind.
   */
  async subscribe<T extends TopicName>(subscription: StreamSubscription<T>): Promise<AsyncIterableIterator<TopicPayload<T>>> {
    const { stream, topic } = subscription;
    const afterSeq = subscription.after ? decodeEventCursor(subscription.after) : undefined;
    const live = await this.pubSub.subscribe(stream);
    try {
      const position = await readStreamPosition(this.prisma, stream);
      if (afterSeq !== undefined && isBeyondRetention(afterSeq, position)) throw cursorExpired();
      let overflowed = false;
      const messages = readStream<StreamMessage>({
        start: afterSeq ?? position.lastSeq,
        replay: afterSeq !== undefined,
        live,
        fetchAfter: (seq, limit) =>
          readEventsAfter(this.prisma, stream, seq, limit, (badSeq, error) =>
            this.logger.error({ stream, seq: badSeq, reason: error.message }, 'stored event does not match its topic; skipped'),
          ),
        signals: this.pubSub.events,
        authorize: (message) => {
          const payload = payloadOf(message, topic);
          if (payload !== undefined) subscription.authorize(payload);
        },
        maxQueued: this.options.maxQueuedEvents,
        onOverflow: () => (overflowed = true),
        onSkip: (gap) => this.logger.warn({ stream, ...gap }, 'events missing from the database (pruned?); delivery continues after them'),
      });
      return onlyTopic(messages, topic, () => overflowed);
    } catch (error) {
      live.end();
      throw error;
    }
  }
}

/** What one attempt of a transaction emitted: collected while its work runs, written at its end. */
class EventBatch {
  private readonly wanted: Array<EventToAppend<TopicName>> = [];
  written: ReadonlyArray<PendingEvent<TopicName>> = [];

  constructor(private readonly taps: readonly EventTap[]) {}

  readonly emit: Emit = (stream, topic, build) => {
    this.wanted.push({ stream, topic, build });
  };

  /** Appends the events, then lets the taps write what they derive from them (jobs), in the same transaction. */
  async write(sql: Sql): Promise<void> {
    if (this.wanted.length === 0) return;
    this.written = await appendEvents(sql, this.wanted);
    for (const tap of this.taps) await tap.inTransaction(sql, this.written);
  }
}

/**
 * The payloads of one topic out of a stream's messages. Returning it returns the stream reader at
 * once, pulled or not (mapIterator), so the live subscription cannot leak.
 */
function onlyTopic<T extends TopicName>(
  messages: AsyncIterableIterator<StreamMessage>,
  topic: T,
  overflowed: () => boolean,
): AsyncIterableIterator<TopicPayload<T>> {
  return mapIterator(messages, (message) => payloadOf(message, topic) ?? SKIP, {
    onDone: () => {
      if (overflowed()) throw new SlowConsumerError();
    },
  });
}
