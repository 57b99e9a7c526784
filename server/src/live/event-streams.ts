import { EventEmitter } from 'node:events';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import { cursorExpired } from '../platform/errors';
import { iteratorFrom, mapIterator, SKIP } from './async-iterators';
import { decodeEventCursor } from './cursors';
import { EventQueue } from './event-queue';
import type { ReadReplica } from '../platform/read-replica';
import { CatchUpReads } from './catch-up-reads';
import { isBeyondRetention, readStreamPosition } from './outbox';
import { behindEvent, type AppPubSub } from './pubsub';
import { readStream } from './stream-reader';
import { StreamFeeds, type OpenedStream } from './stream-feeds';
import { payloadOf, type StreamMessage, type TopicName, type TopicPayload } from './topics';

/** What a subscription reads: one topic of one outbox stream, optionally from a cursor. */
export interface StreamSubscription<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** An event cursor from an earlier event of this stream; unset: events committed from now on. */
  readonly after?: string | null;
  /** Runs before each event is sent, with the clock's now; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>, now: Date): void;
  /**
   * What the subscriber lets the writers of its stream's events know while it is subscribed
   * (`watchersOf`): an object the layer that made it recognises (graphql/delivery-rows.ts).
   */
  readonly watcher?: object;
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
  private readonly feeds: StreamFeeds<StreamMessage, object>;

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
    this.feeds = new StreamFeeds((stream) => this.openLive(stream));
  }

  /**
   * One topic of a stream, strictly in commit order and each event once. Every subscriber of a
   * stream on this instance shares one reader of it (stream-feeds.ts); with `after`, every stored
   * event after the cursor comes first, and CURSOR_EXPIRED when some were pruned. Authorize the
   * viewer before calling. The iterator throws SlowConsumerError when its consumer falls too far
   * behind.
   */
  async subscribe<T extends TopicName>(subscription: StreamSubscription<T>): Promise<AsyncIterableIterator<TopicPayload<T>>> {
    const { topic } = subscription;
    const afterSeq = subscription.after ? decodeEventCursor(subscription.after) : undefined;
    const followed = await this.follow(subscription.stream, afterSeq, subscription.watcher);
    // The topic's payloads, each authorized before it is passed on.
    return mapIterator(
      followed.messages,
      (message) => {
        const payload = payloadOf(message, topic);
        if (payload === undefined) return SKIP;
        subscription.authorize(payload, this.clock());
        return payload;
      },
      { onDone: () => followed.endIfCut() },
    );
  }

  /**
   * Several topics of one stream, with the same guarantees as `subscribe` (commit order, each
   * event once, replay after `afterSeq`, CURSOR_EXPIRED, slow-consumer cut-off): for a consumer
   * that follows a stream as one sequence (the FHIR facade's Subscriptions). `start` is the
   * stream's last sequence passed on when the subscription began (or `afterSeq`): what comes next
   * is after it. `authorize` runs before each message of one of the topics is passed on.
   */
  async subscribeTopics(subscription: {
    readonly stream: string;
    readonly topics: ReadonlySet<TopicName>;
    readonly afterSeq?: number;
    authorize(message: StreamMessage, now: Date): void;
  }): Promise<{ readonly start: number; readonly messages: AsyncIterableIterator<StreamMessage> }> {
    const { topics } = subscription;
    const followed = await this.follow(subscription.stream, subscription.afterSeq);
    const messages = mapIterator(
      followed.messages,
      (message) => {
        if (!topics.has(message.topic)) return SKIP;
        subscription.authorize(message, this.clock());
        return message;
      },
      { onDone: () => followed.endIfCut() },
    );
    return { start: followed.start, messages };
  }

  /** Live subscriptions of the stream on this instance (GraphQL and FHIR alike). */
  subscriberCount(stream: string): number {
    return this.feeds.memberCount(stream);
  }

  /** The watchers of the stream's subscriptions on this instance, now. */
  watchersOf(stream: string): object[] {
    return this.feeds.watchersOf(stream);
  }

  /** Emits 'joined' with the stream's name once a subscription of it is live (tests wait on it). */
  get subscriptionEvents(): EventEmitter {
    return this.feeds.events;
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
    const found: StreamMessage[] = [];
    // Leaving the loop returns the reader (for await calls return()).
    for await (const message of this.storedBetween(stream, query.afterSeq, Math.min(query.untilSeq, position.lastSeq))) {
      if (found.length >= query.limit) break;
      if (!topics.has(message.topic)) continue;
      query.authorize(message, this.clock());
      found.push(message);
    }
    return found;
  }

  /**
   * The stream from `afterSeq` on, through its feed: the events after the cursor that the feed
   * passed on before this member joined are read from the database first, up to the member's
   * start, then the member's own queue follows, so the handover neither skips nor repeats one.
   */
  private async follow(
    stream: string,
    afterSeq: number | undefined,
    watcher?: object,
  ): Promise<{ start: number; messages: AsyncIterableIterator<StreamMessage>; endIfCut(): void }> {
    const member = await this.feeds.join(stream, this.options.maxQueuedEvents, watcher);
    const endIfCut = () => {
      if (member.overflowed()) throw new SlowConsumerError();
    };
    if (afterSeq === undefined) return { start: member.start, messages: member.events, endIfCut };
    if (afterSeq >= member.start) {
      // A cursor at or beyond what the feed has passed on: only what comes after it.
      return { start: afterSeq, messages: mapIterator(member.events, (message) => (message.seq > afterSeq ? message : SKIP)), endIfCut };
    }
    try {
      const position = await readStreamPosition(this.sql, stream);
      if (isBeyondRetention(afterSeq, position)) throw cursorExpired();
    } catch (error) {
      await member.events.return?.();
      throw error;
    }
    return {
      start: afterSeq,
      messages: handOver(this.storedBetween(stream, afterSeq, member.start), member.start, member.events),
      endIfCut,
    };
  }

  /**
   * The stored events after `afterSeq` up to `untilSeq` (known to be committed: the replay must
   * reach it, from the primary where a replica lags), through the ordered reader with no live part.
   */
  private storedBetween(stream: string, afterSeq: number, untilSeq: number): AsyncIterableIterator<StreamMessage> {
    const live = new EventQueue<StreamMessage>();
    live.end();
    const stored = readStream<StreamMessage>({
      start: afterSeq,
      replay: true,
      head: untilSeq,
      live,
      fetchAfter: (seq, limit, mustReach) => this.fetchAfter(stream, seq, limit, mustReach),
      signals: new EventEmitter(),
      authorize: () => undefined,
      maxQueued: Number.MAX_SAFE_INTEGER,
      onOverflow: () => undefined,
      onSkip: (gap) =>
        this.logger.warn({ stream, ...gap }, 'events missing from the primary database (pruned?); the replay continues after them'),
    });
    return throughSeq(stored, afterSeq, untilSeq);
  }

  /**
   * The reader a stream's feed shares: subscribed to pub/sub before the stream's position is
   * read, so no event falls between, and reading from that position on.
   */
  private async openLive(stream: string): Promise<OpenedStream<StreamMessage>> {
    const live = await this.pubSub.subscribe(stream);
    try {
      const position = await readStreamPosition(this.sql, stream);
      // Everything up to here is in the database: the position check counts from it.
      this.pubSub.noteSeq(stream, position.lastSeq);
      let overflowed = false;
      const events = readStream<StreamMessage>({
        start: position.lastSeq,
        replay: false,
        head: position.lastSeq,
        live,
        fetchAfter: (seq, limit, mustReach) => this.fetchAfter(stream, seq, limit, mustReach),
        signals: this.pubSub.events,
        resyncOn: [behindEvent(stream)],
        // Per subscriber, in subscribe(): the feed passes every event on.
        authorize: () => undefined,
        // The feed takes each event at once; its queue grows only while a gap is read from the database.
        maxQueued: this.options.maxQueuedEvents,
        onOverflow: () => (overflowed = true),
        onSkip: (gap) =>
          this.logger.warn({ stream, ...gap }, 'events missing from the primary database (pruned?); delivery continues after them'),
      });
      return { start: position.lastSeq, events, overflowed: () => overflowed };
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

/** The events of `source` up to `lastSeq`; it is returned once that one has passed, or one above it shows. */
function throughSeq<E extends { readonly seq: number }>(
  source: AsyncIterableIterator<E>,
  afterSeq: number,
  lastSeq: number,
): AsyncIterableIterator<E> {
  let finished = false;
  return iteratorFrom<E>({
    async next() {
      if (!finished && lastSeq <= afterSeq) {
        finished = true;
        await source.return?.();
      }
      if (finished) return { value: undefined, done: true };
      const pulled = await source.next();
      if (pulled.done || pulled.value.seq > lastSeq) {
        finished = true;
        await source.return?.();
        return { value: undefined, done: true };
      }
      if (pulled.value.seq === lastSeq) {
        finished = true;
        await source.return?.();
      }
      return pulled;
    },
    release: () => source.return?.(),
  });
}

/** `stored` (the events up to `start`), then `live` (those after it). Returning it returns both. */
function handOver<E extends { readonly seq: number }>(
  stored: AsyncIterableIterator<E>,
  start: number,
  live: AsyncIterableIterator<E>,
): AsyncIterableIterator<E> {
  let storedDone = false;
  return iteratorFrom<E>({
    async next() {
      if (!storedDone) {
        const pulled = await stored.next();
        if (!pulled.done && pulled.value.seq <= start) return pulled;
        storedDone = true;
      }
      return live.next();
    },
    release: () => Promise.all([stored.return?.(), live.return?.()]),
  });
}
