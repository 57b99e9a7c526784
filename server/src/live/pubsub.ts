import { EventEmitter, once } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { markCommitted } from './commit-times';
import { EventQueue } from './event-queue';
import { decodeWireMessage, UndecodableMessage, type StreamMessage, type WireMessage } from './topics';

/**
 * Where committed events travel from the instance that wrote them to every instance holding a
 * subscriber. One channel per outbox stream (`doctor:<id>`, `patient:<id>`), carrying every topic
 * of that stream in sequence order, so a subscriber only ever receives its own doctor's events
 * and sees every sequence number of the stream (a gap means a lost message, never another topic).
 * Messages must be plain JSON (dates as ISO strings): that is what crosses Redis, and the
 * in-memory engine keeps the same contract.
 */
export interface AppPubSub {
  /** "redis" when REDIS_URL is set, otherwise "memory" (one instance only). */
  readonly kind: 'redis' | 'memory';
  /**
   * Sends a stream's message to every subscriber of the stream, on every instance. `committedAtMs`
   * (the live path knows it) travels beside the message for latency measurement.
   */
  publish(stream: string, message: StreamMessage, committedAtMs?: number): Promise<void>;
  /**
   * Subscribes to a stream. Resolves once the subscription is live (for Redis: SUBSCRIBE is
   * acknowledged), so nothing published after it resolves can be missed.
   */
  subscribe(stream: string): Promise<EventQueue<StreamMessage>>;
  /** Live subscribers of the stream on this instance. */
  subscriberCount(stream: string): number;
  /**
   * Emits 'subscribed' (stream) after each new live subscription (tests wait on it);
   * 'publisher-ready' when the Redis publisher (re)connects (the outbox sweeps at once);
   * 'resubscribed' once the Redis subscriber has reconnected and its SUBSCRIBEs are acknowledged:
   * whatever was published meanwhile was lost, so live subscriptions read the database.
   */
  readonly events: EventEmitter;
  /** Resolves when the transport answers (used by /readyz). */
  ping(): Promise<void>;
  /** Ends every subscription and disconnects. */
  close(): Promise<void>;
}

/** Redis when REDIS_URL is set, in memory otherwise. */
export function createPubSub(redis: Config['redis'], logger: Logger): AppPubSub {
  return redis.url ? createRedisPubSub(redis.url, redis.prefix, logger) : createMemoryPubSub();
}

/** Bookkeeping both engines share: live queues per channel, counted for tests and cleanup. */
class Subscriptions {
  readonly events = new EventEmitter();

  constructor() {
    // Every live stream reader listens for 'resubscribed': thousands of listeners are the design,
    // not a leak (each is removed when its subscription ends).
    this.events.setMaxListeners(0);
  }
  private readonly byChannel = new Map<string, Set<EventQueue<unknown>>>();

  add(channel: string, queue: EventQueue<unknown>): void {
    let queues = this.byChannel.get(channel);
    if (!queues) this.byChannel.set(channel, (queues = new Set()));
    queues.add(queue);
  }

  remove(channel: string, queue: EventQueue<unknown>): void {
    const queues = this.byChannel.get(channel);
    queues?.delete(queue);
    if (queues?.size === 0) this.byChannel.delete(channel);
  }

  count(channel: string): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  deliver(channel: string, payload: unknown): void {
    for (const queue of this.byChannel.get(channel) ?? []) queue.push(payload);
  }

  endAll(): void {
    for (const queues of [...this.byChannel.values()]) for (const queue of [...queues]) queue.end();
  }
}

function createMemoryPubSub(): AppPubSub {
  const subscriptions = new Subscriptions();
  return {
    kind: 'memory',
    events: subscriptions.events,
    async publish(stream, message) {
      // Delivered on a later tick, as over Redis: a publisher never runs subscriber code inline.
      await Promise.resolve();
      subscriptions.deliver(stream, message);
    },
    async subscribe(stream) {
      const queue: EventQueue<StreamMessage> = new EventQueue(() => subscriptions.remove(stream, queue as EventQueue<unknown>));
      subscriptions.add(stream, queue as EventQueue<unknown>);
      subscriptions.events.emit('subscribed', stream);
      return queue;
    },
    subscriberCount: (stream) => subscriptions.count(stream),
    ping: async () => {},
    close: async () => subscriptions.endAll(),
  };
}

function createRedisPubSub(url: string, prefix: string, logger: Logger): AppPubSub {
  const subscriptions = new Subscriptions();
  // disconnectTimeout: ioredis's disconnect() arms a timer (2 s by default) that only the socket's
  // 'close' clears; a socket that had already failed never closes again, so after close() that
  // timer alone held the process (and Jest's workers) for 2 s while Redis was unreachable.
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false, disconnectTimeout: 100 };
  // The publisher fails fast while Redis is down instead of queueing in memory: the event is safe
  // in the outbox, and the sweep publishes it once the publisher is back ('publisher-ready').
  const publisher = new Redis(url, { ...options, enableOfflineQueue: false });
  const subscriber = new Redis(url, options);
  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis retries forever and emits an error per attempt: log the outage once, and its end.
    let down = false;
    client.on('error', (error: Error) => {
      if (down) return;
      down = true;
      logger.warn({ err: error, role }, 'redis connection lost; retrying');
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info({ role }, 'redis connection restored');
    });
  }
  publisher.on('ready', () => subscriptions.events.emit('publisher-ready'));
  let subscriberWasLost = false;
  subscriber.on('close', () => (subscriberWasLost = true));
  subscriber.on('ready', () => {
    if (!subscriberWasLost) return;
    subscriberWasLost = false;
    // ioredis re-sends the SUBSCRIBEs on 'ready'; a PING queued behind them answers once Redis
    // has processed them, so a database read started after it misses nothing.
    subscriber.ping().then(
      () => subscriptions.events.emit('resubscribed'),
      (error: unknown) => logger.warn({ err: error }, 'redis subscriber did not answer after reconnecting'),
    );
  });
  // Decoded once per message, not per subscriber: every local subscriber of the channel shares
  // the one checked payload object (subscription-fanout.ts relies on it).
  const redis = new RedisPubSub({ publisher, subscriber, deserializer: decodeReceived });
  return {
    kind: 'redis',
    events: subscriptions.events,
    async publish(stream, message, committedAtMs) {
      await redis.publish(prefix + stream, { ...message, committedAtMs });
    },
    async subscribe(stream) {
      let subscriptionId: number | undefined;
      let ended = false;
      const queue: EventQueue<StreamMessage> = new EventQueue(() => {
        ended = true;
        subscriptions.remove(stream, queue as EventQueue<unknown>);
        if (subscriptionId !== undefined) redis.unsubscribe(subscriptionId);
      });
      subscriptionId = await redis.subscribe(prefix + stream, (received: unknown) => {
        if (received instanceof Received) {
          if (received.wire.committedAtMs !== undefined) markCommitted(received.wire.message.payload, received.wire.committedAtMs);
          queue.push(received.wire.message);
        } else {
          // Dropped: the reader sees the gap and reads the event from the outbox instead.
          logger.warn(
            { stream, reason: received instanceof Rejected ? received.reason : 'not decodable' },
            'dropped a pub/sub message that is not a valid stream message',
          );
        }
      });
      if (ended) {
        redis.unsubscribe(subscriptionId); // the consumer left while SUBSCRIBE was in flight
        return queue;
      }
      subscriptions.add(stream, queue as EventQueue<unknown>);
      subscriptions.events.emit('subscribed', stream);
      return queue;
    },
    subscriberCount: (stream) => subscriptions.count(stream),
    async ping() {
      // The publisher fails fast while disconnected; a probe just after startup waits for it to
      // connect (the caller bounds the wait) rather than report a transient state.
      if (publisher.status !== 'ready') await once(publisher, 'ready');
      await publisher.ping();
    },
    async close() {
      subscriptions.endAll();
      // QUIT waits for a connection that may never come back; a client that is not connected is just dropped.
      await Promise.all(
        [publisher, subscriber].map(async (client) => {
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }),
      );
    },
  };
}

/** A message from Redis that passed decoding (see decodeReceived). */
class Received {
  constructor(readonly wire: WireMessage) {}
}

/** A message from Redis that did not; only the reason is kept (its content may be health data). */
class Rejected {
  constructor(readonly reason: string) {}
}

/** graphql-redis-subscriptions' deserializer: runs once per message, before any subscriber sees it. */
function decodeReceived(raw: string | Buffer): Received | Rejected {
  try {
    return new Received(decodeWireMessage(JSON.parse(raw.toString())));
  } catch (error) {
    return new Rejected(error instanceof UndecodableMessage ? error.message : 'not JSON');
  }
}
