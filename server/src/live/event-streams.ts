import type { PrismaClient } from '../generated/prisma/client';
import type { SubscriberConnection } from '../context';
import { decodeEventCursor } from './cursors';
import { cursorExpired } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { isBeyondRetention, readEventsAfter, readStreamPosition, type PendingEvent } from './outbox';
import type { OutboxDispatcher } from './outbox-dispatcher';
import type { AppPubSub } from './pubsub';
import { readStream } from './stream-reader';
import type { StreamMessage, TopicName, TopicPayload } from './topics';

/** What a subscription reads: one topic of one outbox stream, optionally from a cursor. */
export interface StreamSubscription<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** An event cursor from an earlier event of this stream; unset: events committed from now on. */
  readonly after?: string | null;
  /** Runs before each event is sent; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>): void;
  /** The subscriber's socket, closed as a slow consumer when it does not keep up. */
  readonly connection?: SubscriberConnection;
}

/**
 * The one way every feature hands committed events to delivery and subscribes to them, so the
 * guarantees (commit order, exactly once, resume from a cursor, CURSOR_EXPIRED, per-event
 * authorization, slow-consumer cut-off) hold for every event type alike.
 */
export class EventStreams {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubSub: AppPubSub,
    private readonly dispatcher: OutboxDispatcher,
    private readonly logger: Logger,
    private readonly options: { readonly maxQueuedEvents: number },
  ) {}

  /**
   * Call after the transaction that appended `events` has committed. Does not wait: the change is
   * durable and its events safe in the outbox, so the caller's answer never waits on pub/sub. The
   * dispatcher tracks the work (a SIGTERM drain waits for it); its sweep retries what fails.
   */
  committed(events: ReadonlyArray<PendingEvent<TopicName>>): void {
    // performance.timeOrigin + now(): epoch milliseconds with sub-millisecond precision.
    const committedAtMs = performance.timeOrigin + performance.now();
    void this.dispatcher.publishCommitted(events, committedAtMs);
  }

  /**
   * One topic of a stream, strictly in commit order and each event once (stream-reader.ts). The
   * live channel is subscribed before the stream's position is read, so no event falls between;
   * with `after`, every stored event after the cursor comes first, and CURSOR_EXPIRED when some
   * were pruned. Authorize the viewer before calling.
   */
  async subscribe<T extends TopicName>(subscription: StreamSubscription<T>): Promise<AsyncIterableIterator<TopicPayload<T>>> {
    const { stream, topic } = subscription;
    const afterSeq = subscription.after ? decodeEventCursor(subscription.after) : undefined;
    const live = await this.pubSub.subscribe(stream);
    try {
      const position = await readStreamPosition(this.prisma, stream);
      if (afterSeq !== undefined && isBeyondRetention(afterSeq, position)) throw cursorExpired();
      const isTopic = (message: StreamMessage): message is Extract<StreamMessage, { topic: T }> => message.topic === topic;
      const messages = readStream<StreamMessage>({
        start: afterSeq ?? position.lastSeq,
        replay: afterSeq !== undefined,
        live,
        fetchAfter: (seq, limit) => readEventsAfter(this.prisma, stream, seq, limit),
        signals: this.pubSub.events,
        authorize: (message) => {
          if (isTopic(message)) subscription.authorize(message.payload as TopicPayload<T>);
        },
        maxQueued: this.options.maxQueuedEvents,
        onOverflow: () => subscription.connection?.closeSlowConsumer(),
        onSkip: (gap) => this.logger.warn({ stream, ...gap }, 'events missing from the database (pruned?); delivery continues after them'),
      });
      return onlyTopic(messages, isTopic);
    } catch (error) {
      live.end();
      throw error;
    }
  }
}

/**
 * The payloads of one topic out of a stream's messages. A plain object rather than a generator:
 * return() must reach the stream reader even when nothing was pulled yet, or the live
 * subscription would leak (graphql-ws returns operations cancelled before their first event).
 */
function onlyTopic<T extends TopicName>(
  messages: AsyncIterableIterator<StreamMessage>,
  isTopic: (message: StreamMessage) => message is Extract<StreamMessage, { topic: T }>,
): AsyncIterableIterator<TopicPayload<T>> {
  return {
    async next() {
      for (;;) {
        const result = await messages.next();
        if (result.done) return { value: undefined, done: true };
        if (isTopic(result.value)) return { value: result.value.payload as TopicPayload<T>, done: false };
      }
    },
    async return() {
      await messages.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await messages.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
