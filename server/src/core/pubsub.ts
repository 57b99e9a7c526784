import { EventEmitter } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Config } from './config';
import { EventQueue } from './event-queue';
import type { Logger } from './logger';
import type { TopicName, TopicPayload } from './topics';

/**
 * Where committed events travel from the instance that wrote them to every instance holding a
 * subscriber. One channel per topic and id (e.g. one per doctor), so a subscriber only ever
 * receives its own doctor's events. Payloads must be plain JSON (dates as ISO strings): that is
 * what crosses Redis, and the in-memory engine keeps the same contract.
 */
export interface AppPubSub {
  /** "redis" when REDIS_URL is set, otherwise "memory" (one instance only). */
  readonly kind: 'redis' | 'memory';
  /** Sends a payload to every subscriber of (topic, id), on every instance. */
  publish<T extends TopicName>(topic: T, id: string, payload: TopicPayload<T>): Promise<void>;
  /**
   * Subscribes to (topic, id). Resolves once the subscription is live (for Redis: SUBSCRIBE is
   * acknowledged), so nothing published after it resolves can be missed.
   */
  subscribe<T extends TopicName>(topic: T, id: string): Promise<EventQueue<TopicPayload<T>>>;
  /** Live subscribers of (topic, id) on this instance. */
  subscriberCount(topic: TopicName, id: string): number;
  /**
   * Emits 'subscribed' (topic, id) after each new live subscription (tests wait on it);
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
export function createPubSub(config: Pick<Config, 'redisUrl' | 'redisPrefix'>, logger: Logger): AppPubSub {
  return config.redisUrl ? createRedisPubSub(config.redisUrl, config.redisPrefix, logger) : createMemoryPubSub();
}

/** Bookkeeping both engines share: live queues per channel, counted for tests and cleanup. */
class Subscriptions {
  readonly events = new EventEmitter();
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

const channelOf = (topic: string, id: string) => `${topic}:${id}`;

function createMemoryPubSub(): AppPubSub {
  const subscriptions = new Subscriptions();
  return {
    kind: 'memory',
    events: subscriptions.events,
    async publish(topic, id, payload) {
      // Delivered on a later tick, as over Redis: a publisher never runs subscriber code inline.
      await Promise.resolve();
      subscriptions.deliver(channelOf(topic, id), payload);
    },
    async subscribe<T extends TopicName>(topic: T, id: string) {
      const channel = channelOf(topic, id);
      const queue: EventQueue<TopicPayload<T>> = new EventQueue(() => subscriptions.remove(channel, queue as EventQueue<unknown>));
      subscriptions.add(channel, queue as EventQueue<unknown>);
      subscriptions.events.emit('subscribed', topic, id);
      return queue;
    },
    subscriberCount: (topic, id) => subscriptions.count(channelOf(topic, id)),
    ping: async () => {},
    close: async () => subscriptions.endAll(),
  };
}

function createRedisPubSub(url: string, prefix: string, logger: Logger): AppPubSub {
  const subscriptions = new Subscriptions();
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false };
  // The publisher fails fast while Redis is down instead of queueing in memory: the event is safe
  // in the outbox, and the sweep publishes it once the publisher is back ('publisher-ready').
  const publisher = new Redis(url, { ...options, enableOfflineQueue: false });
  const subscriber = new Redis(url, options);
  for (const [role, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    client.on('error', (error: Error) => logger.warn({ err: error, role }, 'redis connection error'));
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
  const redis = new RedisPubSub({ publisher, subscriber });
  return {
    kind: 'redis',
    events: subscriptions.events,
    async publish(topic, id, payload) {
      await redis.publish(prefix + channelOf(topic, id), payload);
    },
    async subscribe<T extends TopicName>(topic: T, id: string) {
      const channel = channelOf(topic, id);
      let subscriptionId: number | undefined;
      let ended = false;
      const queue: EventQueue<TopicPayload<T>> = new EventQueue(() => {
        ended = true;
        subscriptions.remove(channel, queue as EventQueue<unknown>);
        if (subscriptionId !== undefined) redis.unsubscribe(subscriptionId);
      });
      subscriptionId = await redis.subscribe(prefix + channel, (payload: TopicPayload<T>) => queue.push(payload));
      if (ended) {
        redis.unsubscribe(subscriptionId); // the consumer left while SUBSCRIBE was in flight
        return queue;
      }
      subscriptions.add(channel, queue as EventQueue<unknown>);
      subscriptions.events.emit('subscribed', topic, id);
      return queue;
    },
    subscriberCount: (topic, id) => subscriptions.count(channelOf(topic, id)),
    async ping() {
      await publisher.ping();
    },
    async close() {
      subscriptions.endAll();
      await redis.close().catch(() => undefined);
    },
  };
}

/**
 * The same engine behind type-graphql's PubSub interface, for subscriptions declared with
 * `topics`/`topicId` (ours use `subscribe` so they can authorize and replay first).
 */
export function toTypeGraphqlPubSub(pubSub: AppPubSub): PubSub {
  return {
    publish(routingKey, ...args) {
      const [id, payload] = args as [string, TopicPayload<TopicName>];
      void pubSub.publish(routingKey as TopicName, id, payload);
    },
    subscribe(routingKey, dynamicId) {
      return (async function* () {
        const queue = await pubSub.subscribe(routingKey as TopicName, String(dynamicId));
        try {
          yield* queue;
        } finally {
          queue.end();
        }
      })();
    },
  };
}
