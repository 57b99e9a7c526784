import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the bench makes its databases on (override with BENCH_POSTGRES_URL). */
export const ADMIN_POSTGRES_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one run, with a Redis key prefix of its own, dropped WITH (FORCE) at the end. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly redisPrefix: string;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `careline_bench_<time>_<random>`; the servers apply the migrations when they start. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const name = `careline_bench_${suffix}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    redisPrefix: `careline_bench_${suffix}:`,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
