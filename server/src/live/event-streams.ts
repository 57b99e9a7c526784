import { EventEmitter } from 'node:events';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import { cursorExpired } from '../platform/errors';
import { mapIterator, SKIP } from './async-iterators';
import { decodeEventCursor } from './cursors';
import { EventQueue } from './event-queue';
import type { ReadReplica } from '../platform/read-replica';
import { CatchUpReads } from './catch-up-reads';
import { isBeyondRetention, readStreamPosition } from './outbox';
import { behindEvent, type AppPubSub } from './pubsub';
import { readStream } from './stream-reader';
import { payloadOf, type StreamMessage, type TopicName, type TopicPayload } from './topics';

/** What a subscription reads: one topic of one outbox stream, optionally from a cursor. */
export interface StreamSubscription<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** An event cursor from an earlier event of this stream; unset: events committed from now on. */
  readonly after?: string | null;
  /** Runs before each event is sent, with the clock's now; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>, now: Date): void;
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
 * The one way every feature subscribes to events, so the guarantees (commit order, exactly once,
 * resume from a cursor, CURSOR_EXPIRED, per-event authorization, slow-consumer cut-off) hold for
 * every event type alike. Events are written by Transactions (transactions.ts).
 */
export class EventStreams {
  private readonly catchUp: CatchUpReads;

  /**
   * `replica` (DATABASE_REPLICA_URL): where catch-up reads go first. Where a stream stands (its
   * head, what is pruned: CURSOR_EXPIRED) is always read from the primary `sql`, and a gap the
   * replica cannot fill yet is read from it too (catch-up-reads.ts): a lagging replica delays
   * nothing and skips nothing.
   */
  constructor(
    private readonly sql: Sql,
    private readonly pubSub: AppPubSub,
    private readonly logger: Logger,
    private readonly options: { readonly maxQueuedEvents: number },
    private readonly clock: Clock,
    replica?: ReadReplica,
  ) {
    this.catchUp = new CatchUpReads(sql, replica, logger);
  }

  /**
   * One topic of a stream, strictly in commit order and each event once (stream-reader.ts). The
   * live channel is subscribed before the stream's position is read, so no event falls between;
   * with `after`, every stored event after the cursor comes first, and CURSOR_EXPIRED when some
   * were pruned. Authorize the viewer before calling. The iterator throws SlowConsumerError when
   * its consumer falls too far behind.
   */
  async subscribe<T extends TopicName>(subscription: StreamSubscription<T>): Promise<AsyncIterableIterator<TopicPayload<T>>> {
    const { topic } = subscription;
    const afterSeq = subscription.after ? decodeEventCursor(subscription.after) : undefined;
    const opened = await this.open(subscription.stream, afterSeq, (message) => {
      const payload = payloadOf(message, topic);
      if (payload !== undefined) subscription.authorize(payload, this.clock());
    });
    return onlyTopic(opened.messages, topic, opened.overflowed);
  }

  /**
   * Several topics of one stream, with the same guarantees as `subscribe` (commit order, each
   * event once, replay after `afterSeq`, CURSOR_EXPIRED, slow-consumer cut-off): for a consumer
   * that follows a stream as one sequence (the FHIR facade's Subscriptions). `start` is the
   * stream's last sequence when the subscription began (or `afterSeq`): what comes next is after it.
   * `authorize` runs before each message of one of the topics is passed on.
   */
  async subscribeTopics(subscription: {
    readonly stream: string;
    readonly topics: ReadonlySet<TopicName>;
    readonly afterSeq?: number;
    authorize(message: StreamMessage, now: Date): void;
  }): Promise<{ readonly start: number; readonly messages: AsyncIterableIterator<StreamMessage> }> {
    const { topics } = subscription;
    const opened = await this.open(subscription.stream, subscription.afterSeq, (message) => {
      if (topics.has(message.topic)) subscription.authorize(message, this.clock());
    });
    const messages = mapIterator(opened.messages, (message) => (topics.has(message.topic) ? message : SKIP), {
      onDone: () => {
        if (opened.overflowed()) throw new SlowConsumerError();
      },
    });
    return { start: opened.start, messages };
  }

  /** The stream's last sequence now: 0 when it has no event yet. */
  async lastSeq(stream: string): Promise<number> {
    return (await readStreamPosition(this.sql, stream)).lastSeq;
  }

  /**
   * The stored events of some topics of a stream with a sequence above `afterSeq` and at most
   * `untilSeq`, in order and each once (read through the same ordered reader as live
   * subscriptions, so a page boundary can neither skip nor repeat one), at most `limit` of them:
   * a replay that ends (FHIR `$events`). CURSOR_EXPIRED when events after `afterSeq` were pruned.
   */
  async readStored(query: {
    readonly stream: string;
    readonly topics: ReadonlySet<TopicName>;
    readonly afterSeq: number;
    readonly untilSeq: number;
    readonly limit: number;
    authorize(message: StreamMessage, now: Date): void;
  }): Promise<StreamMessage[]> {
    const { stream, topics } = query;
    const position = await readStreamPosition(this.sql, stream);
    if (isBeyondRetention(query.afterSeq, position)) throw cursorExpired();
    // No live part: the reader replays what is stored and ends.
    const live = new EventQueue<StreamMessage>();
    live.end();
    const messages = readStream<StreamMessage>({
      start: query.afterSeq,
      replay: true,
      head: position.lastSeq,
      live,
      fetchAfter: (seq, limit, mustReach) => this.fetchAfter(stream, seq, limit, mustReach),
      signals: new EventEmitter(),
      authorize: (message) => {
        if (topics.has(message.topic) && message.seq <= query.untilSeq) query.authorize(message, this.clock());
      },
      maxQueued: Number.MAX_SAFE_INTEGER,
      onOverflow: () => undefined,
      onSkip: (gap) =>
        this.logger.warn({ stream, ...gap }, 'events missing from the primary database (pruned?); the replay continues after them'),
    });
    const found: StreamMessage[] = [];
    // Leaving the loop returns the reader (for await calls return()).
    for await (const message of messages) {
      if (message.seq > query.untilSeq || found.length >= query.limit) break;
      if (topics.has(message.topic)) found.push(message);
    }
    return found;
  }

  /** Reads one stream from `afterSeq` (replaying what is stored after it) or from now on. */
  private async open(
    stream: string,
    afterSeq: number | undefined,
    authorize: (message: StreamMessage) => void,
  ): Promise<{ start: number; messages: AsyncIterableIterator<StreamMessage>; overflowed: () => boolean }> {
    const live = await this.pubSub.subscribe(stream);
    try {
      const position = await readStreamPosition(this.sql, stream);
      if (afterSeq !== undefined && isBeyondRetention(afterSeq, position)) throw cursorExpired();
      let overflowed = false;
      const start = afterSeq ?? position.lastSeq;
      // Everything up to here is in the database: the position check counts from it.
      this.pubSub.noteSeq(stream, position.lastSeq);
      const messages = readStream<StreamMessage>({
        start,
        replay: afterSeq !== undefined,
        head: position.lastSeq,
        live,
        fetchAfter: (seq, limit, mustReach) => this.fetchAfter(stream, seq, limit, mustReach),
        signals: this.pubSub.events,
        resyncOn: [behindEvent(stream)],
        authorize,
        maxQueued: this.options.maxQueuedEvents,
        onOverflow: () => (overflowed = true),
        onSkip: (gap) =>
          this.logger.warn({ stream, ...gap }, 'events missing from the primary database (pruned?); delivery continues after them'),
      });
      return { start, messages, overflowed: () => overflowed };
    } catch (error) {
      live.end();
      throw error;
    }
  }

  private fetchAfter(stream: string, seq: number, limit: number, mustReach: number | undefined): Promise<StreamMessage[]> {
    return this.catchUp.eventsAfter(stream, seq, limit, mustReach, (badSeq, error) =>
      this.logger.error({ stream, seq: badSeq, reason: error.message }, 'stored event does not match its topic; skipped'),
    );
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
