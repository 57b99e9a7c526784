import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import { cursorExpired } from '../platform/errors';
import { mapIterator, SKIP } from './async-iterators';
import { decodeEventCursor } from './cursors';
import { isBeyondRetention, readEventsAfter, readStreamPosition } from './outbox';
import type { AppPubSub } from './pubsub';
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
  constructor(
    private readonly sql: Sql,
    private readonly pubSub: AppPubSub,
    private readonly logger: Logger,
    private readonly options: { readonly maxQueuedEvents: number },
    private readonly clock: Clock,
  ) {}

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
      const position = await readStreamPosition(this.sql, stream);
      if (afterSeq !== undefined && isBeyondRetention(afterSeq, position)) throw cursorExpired();
      let overflowed = false;
      const messages = readStream<StreamMessage>({
        start: afterSeq ?? position.lastSeq,
        replay: afterSeq !== undefined,
        live,
        fetchAfter: (seq, limit) =>
          readEventsAfter(this.sql, stream, seq, limit, (badSeq, error) =>
            this.logger.error({ stream, seq: badSeq, reason: error.message }, 'stored event does not match its topic; skipped'),
          ),
        signals: this.pubSub.events,
        authorize: (message) => {
          const payload = payloadOf(message, topic);
          if (payload !== undefined) subscription.authorize(payload, this.clock());
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
