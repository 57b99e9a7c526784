import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { closeRedisClient, createRedisClient, hasRedis, type RedisClient } from '../platform/redis';

/**
 * Tells every instance that sessions were revoked, so each one drops them from its session cache
 * and closes their sockets (4401). Redis pub/sub when REDIS_URL is set (one channel,
 * `<REDIS_PREFIX>sessions:revoked`), in memory otherwise. On a Redis Cluster (REDIS_CLUSTER_NODES)
 * the channel stays a classic one (PUBLISH reaches every node): revocations are rare and every
 * instance needs them all, which is what classic pub/sub does; ioredis moves its one subscriber
 * connection to another node when the one it used is lost. Messages are hints that make revocation
 * immediate; the sessions table stays the truth (sessions.ts re-reads it when in doubt).
 */
export interface RevocationChannel {
  /** Announces revoked session ids to every instance, this one included. Never throws (logged). */
  publish(sessionIds: readonly string[]): Promise<void>;
  /** Announces sessions whose token was rotated (instances drop them from their caches; sockets stay). Never throws. */
  publishRotated(sessionIds: readonly string[]): Promise<void>;
  /**
   * Announces third-party apps' access tokens that no longer exist (revoked at /oauth/token/revocation,
   * or with their grant), by their stored key (SHA-256, never the token): every instance closes the
   * sockets opened with them. Never throws (logged; this instance acts at once all the same).
   */
  publishAppTokensRevoked(tokenKeys: readonly string[]): Promise<void>;
  /** Announces that the OpenID Connect signing keys were rotated: every instance reads them again. Never throws. */
  publishSigningKeysRotated(): Promise<void>;
  /**
   * Emits 'revoked' (sessionIds: string[]) for each announcement, 'rotated' (sessionIds) for each rotation,
   * 'appTokensRevoked' (tokenKeys: string[]), 'signingKeysRotated' (no argument); 'lost' when the Redis subscriber
   * disconnects (announcements may be missed from then on) and 'restored' once it is subscribed
   * again (whatever was announced meanwhile was missed: re-read the sessions table).
   */
  readonly events: EventEmitter;
  /** False while announcements could be missed (Redis subscriber not subscribed): fail closed then. */
  isListening(): boolean;
  close(): Promise<void>;
}

const Announcement = z.object({
  sessionIds: z.array(z.string().uuid()).max(100_000),
  rotatedSessionIds: z.array(z.string().uuid()).max(100_000).optional(),
  /** Stored keys of app access tokens (base64url SHA-256). An older instance ignores them (an empty revocation). */
  appTokenKeys: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{43}$/))
    .max(100_000)
    .optional(),
  signingKeysRotated: z.literal(true).optional(),
});
type Announcement = z.infer<typeof Announcement>;

/** Redis when REDIS_URL is set, in memory otherwise. */
export function createRevocationChannel(redis: Config['redis'], logger: Logger): RevocationChannel {
  if (!hasRedis(redis)) return createMemoryChannel();
  // Waits for the first connection; in an outage one reconnection attempt, then publish() gives up (logged).
  const publisher = createRedisClient(redis, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  const subscriber = createRedisClient(redis, { maxRetriesPerRequest: null });
  if (!publisher || !subscriber) return createMemoryChannel();
  return createRedisChannel(publisher, subscriber, `${redis.prefix}sessions:revoked`, logger);
}

function createMemoryChannel(): RevocationChannel {
  const events = new EventEmitter();
  return {
    events,
    async publish(sessionIds) {
      await Promise.resolve(); // on a later tick, as over Redis
      if (sessionIds.length > 0) events.emit('revoked', [...sessionIds]);
    },
    async publishRotated(sessionIds) {
      await Promise.resolve();
      if (sessionIds.length > 0) events.emit('rotated', [...sessionIds]);
    },
    async publishAppTokensRevoked(tokenKeys) {
      await Promise.resolve();
      if (tokenKeys.length > 0) events.emit('appTokensRevoked', [...tokenKeys]);
    },
    async publishSigningKeysRotated() {
      await Promise.resolve();
      events.emit('signingKeysRotated');
    },
    isListening: () => true,
    close: async () => {
      events.removeAllListeners();
    },
  };
}

function createRedisChannel(publisher: RedisClient, subscriber: RedisClient, channel: string, logger: Logger): RevocationChannel {
  const events = new EventEmitter();
  let listening = false;
  publisher.on('error', () => undefined); // the outage is logged once by the subscriber below
  subscriber.on('error', (error: Error) => {
    if (!listening) return;
    logger.warn({ err: error }, 'session revocation channel lost; every request re-reads its session until it is back');
  });
  subscriber.on('close', () => {
    if (!listening) return;
    listening = false;
    events.emit('lost');
  });
  const subscribe = () =>
    subscriber.subscribe(channel).then(
      () => {
        listening = true;
        events.emit('restored');
      },
      (error: unknown) => logger.warn({ err: error }, 'could not subscribe to session revocations'),
    );
  // ioredis re-subscribes by itself after a reconnect; 'ready' then marks us listening again.
  let first = true;
  subscriber.on('ready', () => {
    if (first) {
      first = false;
      void subscribe();
      return;
    }
    void subscriber.ping().then(
      () => {
        listening = true;
        events.emit('restored');
      },
      () => undefined,
    );
  });
  subscriber.on('message', (received: string, raw: string) => {
    if (received !== channel) return;
    const announcement = parseAnnouncement(raw);
    if (!announcement) logger.warn('dropped a session revocation message that does not decode');
    else if (announcement.signingKeysRotated) events.emit('signingKeysRotated');
    else if (announcement.appTokenKeys?.length) events.emit('appTokensRevoked', announcement.appTokenKeys);
    else if (announcement.rotatedSessionIds?.length) events.emit('rotated', announcement.rotatedSessionIds);
    else events.emit('revoked', announcement.sessionIds);
  });
  return {
    events,
    async publish(sessionIds) {
      if (sessionIds.length === 0) return;
      try {
        await publisher.publish(channel, JSON.stringify({ sessionIds }));
      } catch (error) {
        // The revocation is committed; other instances notice it within the session cache's TTL.
        logger.warn({ err: error, count: sessionIds.length }, 'could not announce revoked sessions');
        events.emit('revoked', [...sessionIds]); // this instance at least acts at once
      }
    },
    async publishRotated(sessionIds) {
      if (sessionIds.length === 0) return;
      try {
        await publisher.publish(channel, JSON.stringify({ sessionIds: [], rotatedSessionIds: sessionIds }));
      } catch (error) {
        logger.warn({ err: error, count: sessionIds.length }, 'could not announce rotated sessions');
        events.emit('rotated', [...sessionIds]);
      }
    },
    async publishAppTokensRevoked(tokenKeys) {
      if (tokenKeys.length === 0) return;
      try {
        await publisher.publish(channel, JSON.stringify({ sessionIds: [], appTokenKeys: tokenKeys }));
      } catch (error) {
        // The tokens are gone from the database; other instances close the sockets at their next re-check.
        logger.warn({ err: error, count: tokenKeys.length }, 'could not announce revoked app tokens');
        events.emit('appTokensRevoked', [...tokenKeys]);
      }
    },
    async publishSigningKeysRotated() {
      try {
        await publisher.publish(channel, JSON.stringify({ sessionIds: [], signingKeysRotated: true }));
      } catch (error) {
        // Other instances read the keys again at their next periodic check.
        logger.warn({ err: error }, 'could not announce rotated signing keys');
        events.emit('signingKeysRotated');
      }
    },
    isListening: () => listening,
    async close() {
      events.removeAllListeners();
      listening = false;
      await Promise.all([publisher, subscriber].map(closeRedisClient));
    },
  };
}

/** The session ids of an announcement from Redis, or undefined when it is not one. */
export function decodeAnnouncement(raw: string): string[] | undefined {
  return parseAnnouncement(raw)?.sessionIds;
}

function parseAnnouncement(raw: string): Announcement | undefined {
  try {
    const parsed = Announcement.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
