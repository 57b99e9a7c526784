import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis, type Cluster } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { closeRedisClient, createRedisClient, REDIS_COMMAND_TIMEOUT_MS } from '../platform/redis';
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
 *
 * On Redis, the publishing instance's own subscribers do not wait for the message to come back:
 * when they have every earlier event of the stream, they get it at once (`Subscriptions.
 * deliverIfNext`), and the copy sent through Redis names the instance (`deliveredBy`), which drops
 * it on its way back. That round trip waited for a turn of a busy event loop, most of commit →
 * event on one instance (bench/README.md). A message that is not next (an earlier one from another
 * instance is still on its way) goes the long way, so this never opens a gap the reader must read.
 */
export interface AppPubSub {
  /** "redis" when REDIS_URL is set, "redis-cluster" with REDIS_CLUSTER_NODES, otherwise "memory" (one instance only). */
  readonly kind: 'redis' | 'redis-cluster' | 'memory';
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
   * Per stream with live subscribers on this instance: the highest sequence pub/sub brought, or
   * that its subscribers are known to have from the database (`noteSeq`). The stream-position
   * check (stream-position-check.ts) compares it with the outbox.
   */
  receivedSeqs(): ReadonlyMap<string, number>;
  /** Records that this stream's subscribers have, or are reading from the database, every event up to `seq`. */
  noteSeq(stream: string, seq: number): void;
  /**
   * Emits 'subscribed' (stream) after each new live subscription (tests wait on it);
   * 'publisher-ready' when the Redis publisher (re)connects (the outbox sweeps at once);
   * 'resubscribed' once the Redis subscriber has reconnected and its SUBSCRIBEs are acknowledged:
   * whatever was published meanwhile was lost, so live subscriptions read the database;
   * `behindEvent(stream)` when the stream-position check found that pub/sub lost the stream's
   * latest events (only that stream's subscriptions read the database).
   */
  readonly events: EventEmitter;
  /** Resolves when the transport answers (used by /readyz). */
  ping(): Promise<void>;
  /** Ends every subscription and disconnects. */
  close(): Promise<void>;
}

/** The event a stream's live readers also resync on: the stream-position check found it behind. */
export function behindEvent(stream: string): string {
  return `behind:${stream}`;
}

/**
 * The sharded channel of a stream on a Redis Cluster: the stream name is the hash tag
 * (`careline:{doctor:<id>}`), so the slot, and the one shard that carries the stream, follow
 * from the stream alone; ids are random, so streams spread evenly over the 16,384 slots and
 * over the masters that own them.
 */
export function clusterChannel(prefix: string, stream: string): string {
  return `${prefix}{${stream}}`;
}

/** Redis Cluster with REDIS_CLUSTER_NODES, Redis with REDIS_URL, in memory otherwise. */
export function createPubSub(redis: Config['redis'], logger: Logger): AppPubSub {
  if (redis.clusterNodes) return createClusterPubSub(redis, logger);
  return redis.url ? createRedisPubSub(redis.url, redis.prefix, logger) : createMemoryPubSub();
}

/** Bookkeeping both engines share: live queues per channel, counted for tests and cleanup. */
class Subscriptions {
  readonly events = new EventEmitter();
  /** Names this instance in the messages it delivered to its own subscribers before sending them (`deliveredBy`). */
  readonly origin = randomUUID();

  constructor() {
    // Every live stream reader listens for 'resubscribed': thousands of listeners are the design,
    // not a leak (each is removed when its subscription ends).
    this.events.setMaxListeners(0);
  }
  private readonly byChannel = new Map<string, Set<EventQueue<unknown>>>();
  private readonly seqs = new Map<string, number>();

  add(channel: string, queue: EventQueue<unknown>): void {
    let queues = this.byChannel.get(channel);
    if (!queues) this.byChannel.set(channel, (queues = new Set()));
    queues.add(queue);
  }

  remove(channel: string, queue: EventQueue<unknown>): void {
    const queues = this.byChannel.get(channel);
    queues?.delete(queue);
    if (queues?.size === 0) {
      this.byChannel.delete(channel);
      this.seqs.delete(channel);
    }
  }

  /**
   * Delivers a message this instance is publishing to its own subscribers of the channel, when
   * they have every sequence before it (noted from the database when they opened, or brought
   * since) and the publisher is connected: while Redis is away nothing is delivered live, here as
   * on the other instances (the sweep publishes the event once it is back). Answers the
   * `deliveredBy` mark for the copy sent through Redis: `origin` when it delivered, so this
   * instance drops that copy on its way back.
   */
  deliverIfNext(channel: string, message: StreamMessage, publisherReady: boolean): string | undefined {
    if (!publisherReady || this.seqs.get(channel) !== message.seq - 1) return undefined;
    this.deliver(channel, message);
    return this.origin;
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  noteSeq(channel: string, seq: number): void {
    if (!this.byChannel.has(channel)) return;
    // 0 counts: a stream that had no event when its feed opened holds every event before 1.
    if (seq > (this.seqs.get(channel) ?? -1)) this.seqs.set(channel, seq);
  }

  /** Every stream with subscribers, with the highest sequence noted (0 when none yet). */
  receivedSeqs(): Map<string, number> {
    return new Map([...this.byChannel.keys()].map((channel) => [channel, this.seqs.get(channel) ?? 0]));
  }

  count(channel: string): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  deliver(channel: string, message: StreamMessage): void {
    const queues = this.byChannel.get(channel);
    if (!queues) return;
    this.noteSeq(channel, message.seq);
    for (const queue of queues) queue.push(message);
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
    receivedSeqs: () => subscriptions.receivedSeqs(),
    noteSeq: (stream, seq) => subscriptions.noteSeq(stream, seq),
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
  logOutagesOnce(publisher, 'publisher', 'redis', logger);
  logOutagesOnce(subscriber, 'subscriber', 'redis', logger);
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
  const redis = new RedisPubSub({
    publisher,
    subscriber,
    deserializer: (raw: string | Buffer) => decodeReceived(raw, subscriptions.origin),
  });
  return {
    kind: 'redis',
    events: subscriptions.events,
    async publish(stream, message, committedAtMs) {
      const deliveredBy = subscriptions.deliverIfNext(stream, message, publisher.status === 'ready');
      await redis.publish(prefix + stream, { ...message, committedAtMs, deliveredBy });
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
        if (received === OWN_ECHO) return;
        if (received instanceof Received) {
          if (received.wire.committedAtMs !== undefined) markCommitted(received.wire.message.payload, received.wire.committedAtMs);
          subscriptions.noteSeq(stream, received.wire.message.seq);
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
    receivedSeqs: () => subscriptions.receivedSeqs(),
    noteSeq: (stream, seq) => subscriptions.noteSeq(stream, seq),
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

/** How long 'resubscribed' waits after ioredis's 'subscribersReady', gathering the ones that follow. */
const RESUBSCRIBE_COALESCE_MS = 250;

/**
 * Events on a Redis Cluster by sharded pub/sub: SPUBLISH / SSUBSCRIBE on `clusterChannel`, so a
 * message travels only within the shard that owns its stream's slot (classic PUBLISH on a cluster
 * is copied to every node). ioredis's cluster client keeps one subscriber connection per master
 * (`shardedSubscribers: true`) and re-subscribes on its own after a failover, a resharding (it
 * re-reads the slot map every CLUSTER_SLOTS_REFRESH_MS, and at once after MOVED) or a lost
 * subscriber connection, then emits 'subscribersReady': we emit 'resubscribed' shortly after
 * (RESUBSCRIBE_COALESCE_MS, one per burst), and live readers read the outbox. ioredis does not
 * wait for those SSUBSCRIBEs to be acknowledged before 'subscribersReady'; a message lost in that
 * window is found by the stream-position check.
 *
 * Not graphql-redis-subscriptions: it has no sharded mode (its issue 569), and here it would only
 * wrap three ioredis calls. Plain REDIS_URL keeps it (createRedisPubSub).
 */
function createClusterPubSub(redis: Config['redis'], logger: Logger): AppPubSub {
  const subscriptions = new Subscriptions();
  // The publisher fails fast while the cluster is not ready (the outbox keeps the event for the sweep).
  const publisher = createRedisClient(redis, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    disconnectTimeout: 100,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  }) as Cluster;
  const subscriber = createRedisClient(redis, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    disconnectTimeout: 100,
    shardedSubscribers: true,
  }) as Cluster;
  logOutagesOnce(publisher, 'publisher', 'redis cluster', logger);
  logOutagesOnce(subscriber, 'subscriber', 'redis cluster', logger);
  publisher.on('ready', () => subscriptions.events.emit('publisher-ready'));
  publisher.on('+node', () => subscriptions.events.emit('publisher-ready'));
  // During a failover ioredis rebuilds its subscribers many times (each failed connection to the
  // dead master is one more reset): one 'resubscribed' per burst, not one outbox read per reset
  // per reader. The delay also lets the re-sent SSUBSCRIBEs be acknowledged before readers read.
  let resubscribing: NodeJS.Timeout | undefined;
  subscriber.on('subscribersReady', () => {
    resubscribing ??= setTimeout(() => {
      resubscribing = undefined;
      logger.info('redis cluster sharded subscribers re-subscribed; live readers read the outbox');
      subscriptions.events.emit('resubscribed');
    }, RESUBSCRIBE_COALESCE_MS);
  });
  const streamOf = (channel: string): string | undefined =>
    channel.startsWith(`${redis.prefix}{`) && channel.endsWith('}') ? channel.slice(redis.prefix.length + 1, -1) : undefined;
  subscriber.on('smessage', (channel: string, raw: string) => {
    const stream = streamOf(channel);
    if (stream === undefined || !subscriptions.has(stream)) return;
    const received = decodeReceived(raw, subscriptions.origin);
    if (received === OWN_ECHO) return;
    if (received instanceof Received) {
      if (received.wire.committedAtMs !== undefined) markCommitted(received.wire.message.payload, received.wire.committedAtMs);
      subscriptions.deliver(stream, received.wire.message);
    } else {
      logger.warn({ stream, reason: received.reason }, 'dropped a pub/sub message that is not a valid stream message');
    }
  });
  // One SSUBSCRIBE per stream however many local subscribers it has; SUNSUBSCRIBE after the last.
  const subscribing = new Map<string, Promise<unknown>>();
  return {
    kind: 'redis-cluster',
    events: subscriptions.events,
    async publish(stream, message, committedAtMs) {
      const deliveredBy = subscriptions.deliverIfNext(stream, message, publisher.status === 'ready');
      await publisher.spublish(clusterChannel(redis.prefix, stream), JSON.stringify({ ...message, committedAtMs, deliveredBy }));
    },
    async subscribe(stream) {
      const channel = clusterChannel(redis.prefix, stream);
      const queue: EventQueue<StreamMessage> = new EventQueue(() => {
        subscriptions.remove(stream, queue as EventQueue<unknown>);
        if (subscriptions.has(stream) || !subscribing.has(stream)) return;
        subscribing.delete(stream);
        subscriber.sunsubscribe(channel).catch((error: unknown) => logger.warn({ err: error, stream }, 'could not unsubscribe'));
      });
      // Counted at once, so a second subscriber of the stream waits on the same SSUBSCRIBE.
      subscriptions.add(stream, queue as EventQueue<unknown>);
      let acknowledged = subscribing.get(stream);
      if (!acknowledged) {
        acknowledged = subscriber.ssubscribe(channel);
        subscribing.set(stream, acknowledged);
      }
      try {
        await acknowledged;
      } catch (error) {
        if (subscribing.get(stream) === acknowledged) subscribing.delete(stream);
        queue.end();
        throw error;
      }
      subscriptions.events.emit('subscribed', stream);
      return queue;
    },
    subscriberCount: (stream) => subscriptions.count(stream),
    receivedSeqs: () => subscriptions.receivedSeqs(),
    noteSeq: (stream, seq) => subscriptions.noteSeq(stream, seq),
    async ping() {
      if (publisher.status !== 'ready') await once(publisher, 'ready');
      await publisher.ping();
    },
    async close() {
      clearTimeout(resubscribing);
      subscriptions.endAll();
      await Promise.all([publisher, subscriber].map(closeRedisClient));
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

/** A message this instance published and already delivered to its own subscribers. */
const OWN_ECHO = Symbol('own echo');

/** Only the field that marks an echo is read before the message is decoded. */
const DeliveredBy = z.object({ deliveredBy: z.string() });

/**
 * The message as this instance's subscribers get it, or OWN_ECHO when `origin` (this instance)
 * delivered it to them already. Runs once per message, before any subscriber sees it.
 */
function decodeReceived(raw: string | Buffer, origin: string): Received | Rejected | typeof OWN_ECHO {
  try {
    const parsed: unknown = JSON.parse(raw.toString());
    const marked = DeliveredBy.safeParse(parsed);
    if (marked.success && marked.data.deliveredBy === origin) return OWN_ECHO;
    return new Received(decodeWireMessage(parsed));
  } catch (error) {
    return new Rejected(error instanceof UndecodableMessage ? error.message : 'not JSON');
  }
}

/** ioredis retries forever and emits an error per attempt: logs the outage once, and its end. */
function logOutagesOnce(client: Redis | Cluster, role: 'publisher' | 'subscriber', what: string, logger: Logger): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, role }, `${what} connection lost; retrying`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ role }, `${what} connection restored`);
  });
}
