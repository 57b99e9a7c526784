import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { createRedisClient, isCluster, REDIS_COMMAND_TIMEOUT_MS, type RedisClient } from '../platform/redis';

/**
 * How long an instance's word that a user has a socket open lasts in Redis without being renewed:
 * an instance that dies without saying goodbye stops counting after at most this long.
 */
export const PRESENCE_TTL_MS = 45_000;
/** Each instance renews the presence of its users this often (a third of the TTL: two renewals may be lost). */
export const PRESENCE_RENEW_MS = 15_000;

/**
 * Which users have a live socket open, on any instance: a push is sent only to a doctor or a
 * front desk who has none (nobody is looking at the dashboard). The transport says when a user's
 * sockets open and close on this instance; `online` answers for every instance.
 *
 * With REDIS_URL each user has a sorted set `<REDIS_PREFIX>presence:<userId>` of the instances
 * holding a socket of theirs, each scored with the time (Redis's own clock, so instances' clocks
 * and a test's injected clock do not matter) until which that word holds; instances renew theirs
 * every PRESENCE_RENEW_MS and remove it when the user's last socket closes. Without Redis there
 * is one instance, and the answer is this instance's count.
 */
export interface SocketPresence {
  /** A socket of this user opened on this instance. */
  opened(userId: string): void;
  /** A socket of this user closed on this instance. */
  closed(userId: string): void;
  /**
   * The users among these with an open socket on some instance. Never throws: when Redis cannot
   * be asked, only this instance's users count (a push too many rather than one missed).
   */
  online(userIds: readonly string[]): Promise<ReadonlySet<string>>;
  close(): Promise<void>;
}

/** Redis when REDIS_URL is set, this instance's counts otherwise. */
export function createSocketPresence(redis: Config['redis'], logger: Logger): SocketPresence {
  const client = createRedisClient(redis, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  return client ? new RedisPresence(client, `${redis.prefix}presence:`, logger) : new LocalPresence();
}

class LocalPresence implements SocketPresence {
  protected readonly counts = new Map<string, number>();

  opened(userId: string): void {
    this.counts.set(userId, (this.counts.get(userId) ?? 0) + 1);
  }

  closed(userId: string): void {
    const left = (this.counts.get(userId) ?? 1) - 1;
    if (left > 0) this.counts.set(userId, left);
    else this.counts.delete(userId);
  }

  online(userIds: readonly string[]): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(userIds.filter((id) => this.counts.has(id))));
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

// Times from Redis's clock (TIME), in milliseconds.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
/** KEYS: users' sets; ARGV: instance id, TTL in ms. Adds or renews this instance in each, drops stale members. */
const RENEW = `${NOW_MS}
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2]))
end
return #KEYS`;
/** KEYS: users' sets. For each, how many instances' words still hold. */
const COUNT = `${NOW_MS}
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('ZCOUNT', key, '(' .. now, '+inf') end
return out`;

const Counts = z.array(z.number().int());

class RedisPresence extends LocalPresence {
  private readonly instanceId = `instance-${randomUUID()}`;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    super();
    this.redis.on('error', () => undefined); // each failed command is logged where it is used
    this.timer = setInterval(() => void this.renew([...this.counts.keys()]), PRESENCE_RENEW_MS);
    this.timer.unref();
  }

  override opened(userId: string): void {
    const first = !this.counts.has(userId);
    super.opened(userId);
    if (first) void this.renew([userId]);
  }

  override closed(userId: string): void {
    super.closed(userId);
    if (this.counts.has(userId)) return;
    this.redis.zrem(this.prefix + userId, this.instanceId).catch((error: unknown) => {
      // Not fatal: the word expires after PRESENCE_TTL_MS anyway.
      this.logger.warn({ err: error }, 'could not withdraw a socket presence');
    });
  }

  override async online(userIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (userIds.length === 0) return new Set();
    try {
      const counts = await this.perSlot(userIds, async (keys) => Counts.parse(await this.redis.eval(COUNT, keys.length, ...keys)));
      return new Set(userIds.filter((id, index) => (counts[index] ?? 0) > 0 || this.counts.has(id)));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read socket presence; counting this instance only');
      return super.online(userIds);
    }
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    const users = [...this.counts.keys()];
    await super.close();
    if (users.length > 0) {
      await Promise.all(users.map((id) => this.redis.zrem(this.prefix + id, this.instanceId))).catch(() => undefined);
    }
    this.redis.disconnect();
  }

  private async renew(userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    try {
      await this.perSlot(userIds, async (keys) => {
        await this.redis.eval(RENEW, keys.length, ...keys, this.instanceId, PRESENCE_TTL_MS);
        return [];
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not renew socket presence');
    }
  }

  /**
   * Runs a script over the users' keys: all at once on one Redis; on a cluster once per key, in
   * parallel (each user's key lives in its own slot, and a script may only touch one slot).
   * The results are concatenated in the users' order.
   */
  private async perSlot(userIds: readonly string[], run: (keys: string[]) => Promise<number[]>): Promise<number[]> {
    const keys = userIds.map((id) => this.prefix + id);
    if (!isCluster(this.redis)) return run(keys);
    return (await Promise.all(keys.map((key) => run([key])))).flat();
  }
}
