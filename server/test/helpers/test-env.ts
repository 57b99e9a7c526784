// Where the test suite finds PostgreSQL and Redis. CI and every developer machine run both
// locally; override with TEST_POSTGRES_URL / TEST_REDIS_URL. global-setup creates one fresh
// database and one Redis prefix per run and passes them to the workers in CARELINE_TEST_*.

export const ADMIN_POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The database created for this run by global-setup. */
export function runDatabaseUrl(): string {
  const url = process.env['CARELINE_TEST_DATABASE_URL'];
  if (!url) throw new Error('CARELINE_TEST_DATABASE_URL is not set: run the tests through jest (global-setup creates it).');
  return url;
}

/** The Redis channel prefix of this run, so concurrent runs on one Redis never see each other. */
export function runRedisPrefix(): string {
  return process.env['CARELINE_TEST_REDIS_PREFIX'] ?? 'careline_test:';
}

/** A database URL with another database name on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Test servers hash passwords at scrypt's 2^10 (milliseconds) instead of 2^15 (0.1-0.2 s of a
 * core): the run registers hundreds of accounts, and at the default cost their hashes took a fifth
 * of its CPU. A server started as production keeps the default, which production requires.
 */
export function testPasswordHashCost(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return env['NODE_ENV'] === 'production' ? {} : { PASSWORD_HASH_COST: '10' };
}
