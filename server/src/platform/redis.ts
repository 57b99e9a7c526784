import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config';
import './redis-sharded-subscriber-fix';

/** One Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`): every Redis user takes either. */
export type RedisClient = Redis | Cluster;

/** The per-connection options Redis users choose (the cluster applies them to each node's connection). */
export interface RedisClientOptions {
  readonly maxRetriesPerRequest?: number | null;
  readonly enableOfflineQueue?: boolean;
  readonly disconnectTimeout?: number;
  /**
   * Cluster only: a command not answered this long fails (a paused master holds its connection
   * open without answering until its replica takes over). One Redis keeps today's behaviour.
   */
  readonly commandTimeout?: number;
  /** Cluster only: SSUBSCRIBE through one subscriber connection per master (ioredis ≥ 5.6). */
  readonly shardedSubscribers?: boolean;
}

/**
 * How often a cluster client re-reads the slot map (CLUSTER SLOTS) by itself, besides after a
 * MOVED reply or a lost node: a resharding that moved a subscribed channel's slot is noticed
 * within this long even when nothing is published to it (ioredis then re-subscribes on the new owner).
 */
export const CLUSTER_SLOTS_REFRESH_MS = 2_000;

/**
 * The command timeout on a Redis Cluster of the request-path clients (rate limits, sign-in
 * throttle, presence) and the event publisher: a
 * paused or failing node must not hold a booking; they fall back (in-memory limiter, this
 * instance's presence) when it passes.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** Whether Redis is configured at all (either form). */
export function hasRedis(redis: Config['redis']): boolean {
  return redis.url !== undefined || redis.clusterNodes !== undefined;
}

/**
 * A new connection (or cluster client) to the configured Redis; undefined without Redis. The one
 * place a Redis client is made, so every user works on a single Redis and on a cluster alike.
 * On a cluster each command goes to the master of its key's slot: a command or script that uses
 * several keys must give them one hash tag (`{…}`) or be split per key.
 */
export function createRedisClient(redis: Config['redis'], options: RedisClientOptions = {}): RedisClient | undefined {
  const { shardedSubscribers, enableOfflineQueue, commandTimeout, ...perNode } = options;
  const nodeOptions: RedisOptions = { ...perNode, ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }) };
  if (redis.clusterNodes !== undefined) {
    return new Cluster(
      redis.clusterNodes.map((node) => {
        const colon = node.lastIndexOf(':');
        return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
      }),
      {
        redisOptions: { ...nodeOptions, ...(commandTimeout === undefined ? {} : { commandTimeout }) },
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        shardedSubscribers: shardedSubscribers ?? false,
        slotsRefreshInterval: CLUSTER_SLOTS_REFRESH_MS,
        // Reads go to masters: a replica lags, and every key here is read right after it is written.
        scaleReads: 'master',
      },
    );
  }
  // rediss:// URLs connect with TLS (ioredis reads the scheme).
  return redis.url === undefined ? undefined : new Redis(redis.url, nodeOptions);
}

/** Whether the client is a cluster client (multi-key commands must then stay within one slot). */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** QUIT when connected (pending replies arrive first), otherwise just drop the connection. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
