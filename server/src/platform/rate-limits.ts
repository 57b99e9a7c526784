import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config';
import { rateLimited } from './errors';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { closeRedisClient, createRedisClient, REDIS_COMMAND_TIMEOUT_MS, type RedisClient } from './redis';

/** One named limit: `points` per `durationSeconds` per key; 0 points turns it off. */
export interface LimiterSpec {
  readonly points: number;
  readonly durationSeconds: number;
  /** Shown in the RATE_LIMITED message: "at most 30 bookings per minute". */
  readonly what: string;
  /** Kept in this process even with Redis (its keys, e.g. a socket, exist on one instance only). */
  readonly local?: boolean;
}

/**
 * Every limiter's name. A rate-limited GraphQL field names one (graphql/rate-limited.ts), and
 * its declaration is checked against this list when the schema is read.
 */
export const RATE_LIMIT_NAMES = ['bookings', 'appointmentChanges', 'socketOperations', 'registrations'] as const;

export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

/** The named limits and their budgets, from the RATE_LIMIT_ variables (docs/configuration.md documents them). */
export function rateLimitSpecs(config: Config['rateLimits']) {
  return {
    bookings: { points: config.bookingsPerMinute, durationSeconds: 60, what: 'bookings per minute' },
    appointmentChanges: { points: config.appointmentChangesPerMinute, durationSeconds: 60, what: 'appointment changes per minute' },
    socketOperations: {
      points: config.socketOperationsPerSecond,
      durationSeconds: 1,
      what: 'operations per second on one socket',
      local: true,
    },
    registrations: { points: config.registrationsPerHour, durationSeconds: 3600, what: 'registrations per hour from one address' },
  } satisfies Record<RateLimitName, LimiterSpec>;
}

export interface RateLimits<Name extends string = RateLimitName> {
  /**
   * Counts `points` (default 1) against `key` under limiter `name`; throws RATE_LIMITED with
   * `extensions.retryAfterSeconds` when the key has none left. Off limiters always pass.
   */
  consume(name: Name, key: string, points?: number): Promise<void>;
  /** "ready" and so on (ioredis status) when Redis-backed, "memory" otherwise. */
  readonly store: () => string;
  close(): Promise<void>;
}

/**
 * Rate limits with rate-limiter-flexible: counters in Redis (REDIS_URL, keys under REDIS_PREFIX)
 * so every instance counts against the same budget, in memory otherwise. When Redis is not ready
 * each limiter falls back at once to an in-memory one with the same budget (rejectIfRedisNotReady
 * + insuranceLimiter): a Redis outage neither blocks requests nor lifts the limits.
 */
export function createRateLimits<Name extends string>(
  specs: Record<Name, LimiterSpec>,
  options: { redis: Config['redis']; logger: Logger; metrics: Metrics },
): RateLimits<Name> {
  // One key per command: works on a Redis Cluster as it is (REDIS_CLUSTER_NODES).
  const redis: RedisClient | undefined = createRedisClient(options.redis, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // A node that stopped answering (paused, failing over) hands over to the in-memory limiter.
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  redis?.on('error', (error: Error) => options.logger.debug({ err: error }, 'rate-limit Redis connection error'));
  const limiters = new Map<Name, RateLimiterAbstract>();
  for (const name of Object.keys(specs) as Name[]) {
    const spec = specs[name];
    if (spec.points <= 0) continue;
    const base = { points: spec.points, duration: spec.durationSeconds, keyPrefix: `${options.redis.prefix}ratelimit:${name}` };
    const memory = new RateLimiterMemory(base);
    limiters.set(
      name,
      redis && !spec.local
        ? new RateLimiterRedis({ ...base, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory,
    );
  }

  return {
    async consume(name, key, points = 1) {
      const limiter = limiters.get(name);
      if (!limiter) return;
      try {
        await limiter.consume(key, points);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        options.metrics.rateLimitRefusals.inc({ limiter: name });
        const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        const spec = specs[name];
        throw rateLimited(
          `Too many requests: at most ${spec.points} ${spec.what}. Try again in ${retryAfterSeconds} s.`,
          retryAfterSeconds,
        );
      }
    },
    store: () => redis?.status ?? 'memory',
    async close() {
      if (redis) await closeRedisClient(redis);
    },
  };
}
