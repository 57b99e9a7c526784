// Shared set-up for the delivery benchmarks: a database and a redis-server of their own, so a
// run never touches the shared services' data, and instances started in this process.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startOwnRedis, type OwnRedis } from '../server/test/helpers/redis-server';
import { ADMIN_POSTGRES_URL, withDatabase } from '../server/test/helpers/test-env';
import { startTestServer, type TestServer } from '../server/test/helpers/test-server';

export interface BenchEnv {
  readonly redis: OwnRedis;
  readonly databaseUrl: string;
  startServer(env?: Record<string, string>): Promise<TestServer>;
  dispose(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startBenchEnv(): Promise<BenchEnv> {
  const database = `careline_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const databaseUrl = withDatabase(ADMIN_POSTGRES_URL, database);
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
        REDIS_PREFIX: `${database}:`,
        LOG_LEVEL: 'fatal',
        ...env,
      });
      servers.push(server);
      return server;
    },
    async dispose() {
      for (const server of servers) await server.dispose();
      await redis.dispose();
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
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
