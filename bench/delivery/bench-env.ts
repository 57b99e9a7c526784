// Shared set-up for the delivery benchmarks: a database and a redis-server of their own, so a
// run never touches the shared services' data, and instances started in this process.
import { createOwnDatabase } from '../../server/test/helpers/own-database';
import { startOwnRedis, type OwnRedis } from '../../server/test/helpers/redis-server';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server';

export interface BenchEnv {
  readonly redis: OwnRedis;
  readonly databaseUrl: string;
  startServer(env?: Record<string, string>): Promise<TestServer>;
  dispose(): Promise<void>;
}

export async function startBenchEnv(): Promise<BenchEnv> {
  const database = await createOwnDatabase('careline_bench');
  const databaseUrl = database.url;
  process.env['CARELINE_TEST_DATABASE_URL'] = databaseUrl; // what startTestServer reads in services mode
  const redis = await startOwnRedis();
  const servers: TestServer[] = [];
  return {
    redis,
    databaseUrl,
    async startServer(env = {}) {
      const server = await startTestServer('services', {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        REDIS_PREFIX: `${database.name}:`,
        LOG_LEVEL: 'fatal',
        ...env,
      });
      servers.push(server);
      return server;
    },
    async dispose() {
      for (const server of servers) await server.dispose();
      await redis.dispose();
      await database.drop();
    },
  };
}

/** Runs `work` for each index with at most `concurrency` running at once. */
export async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
