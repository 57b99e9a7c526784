import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createApp, type App, type AppOptions } from '../../src/app';
import { parseConfig, type Config } from '../../src/platform/config';
import { seedFromTemplate } from './embedded-template';
import { leftover } from './leftovers';
import { REDIS_URL, runDatabaseUrl, runRedisPrefix, testPasswordHashCost } from './test-env';

/** Which deployment a test server runs as: embedded (PGlite + in-memory) or services (PostgreSQL + Redis). */
export type Mode = 'embedded' | 'services';

export interface TestServer extends App {
  /** POST /graphql; returns the parsed JSON body and the HTTP status. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>>;
  /** ws://.../graphql */
  readonly wsUrl: string;
}

export interface GqlResponse<T> {
  readonly status: number;
  readonly data: T | null | undefined;
  readonly errors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> | undefined;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
/** The audit chains' HMAC key of test servers (AUDIT_KEY): not the development key, as in production. */
export const TEST_AUDIT_KEY = 'test-audit-key-that-is-at-least-32-bytes-long';
/** The data encryption key of test servers (DATA_ENCRYPTION_KEY, 64 hex): not the development key, as in production. */
export const TEST_DATA_ENCRYPTION_KEY = '7e57'.repeat(16);

/**
 * Every services-mode server of a run shares the run's database, so every server's worker claims
 * every server's jobs: one that sends mail, webhooks, texts or pushes differently (loopback
 * webhooks allowed, a 50 ms retry, an SMTP receiver, VAPID keys) would have its jobs refused or
 * delayed by the others' workers. Such a server needs a database of its own (createOwnDatabase).
 */
function refuseSharedJobSettings(config: Config, options: AppOptions): void {
  const shared = parseConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: config.database.dataDir });
  const differing = (['jobs', 'mail', 'sms', 'webhooks', 'push'] as const).filter(
    (section) => !isDeepStrictEqual(config[section], shared[section]),
  );
  if (options.pushAgentOptions) differing.push('push');
  if (differing.length > 0) {
    throw new Error(
      `This server's ${differing.join(', ')} settings differ from the other test servers', whose workers share the run's database: pass DATABASE_URL from createOwnDatabase()`,
    );
  }
}

/**
 * Starts a real CareLine instance on a free port. Services mode shares this run's PostgreSQL
 * database and Redis prefix (so two servers form one deployment); embedded mode gets its own
 * PGlite folder, a copy of the run's migrated template (embedded-template.ts), removed on
 * dispose. `env` overrides any variable; `clock` is the job worker's now.
 * Disposed after the test (or the file, when started in beforeAll) unless the test disposes it
 * first; dispose twice is harmless.
 */
export async function startTestServer(mode: Mode, env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestServer> {
  // A folder of its own in both modes: the embedded database, and the .eml files of a server without SMTP_URL.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careline-test-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    // Most tests register doctors freely (each in a one-doctor practice); the invitation tests turn it off.
    DOCTOR_SELF_REGISTRATION: 'true',
    // Every test registers its accounts from 127.0.0.1, and services-mode servers of one run share
    // their Redis budget: the per-address registration limit is tested on its own (rate-limits.test.ts).
    RATE_LIMIT_REGISTRATIONS_PER_HOUR: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    AUDIT_KEY: TEST_AUDIT_KEY,
    DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
    // Every account of the run signs in from 127.0.0.1: lift the per-address sign-in limit (the
    // throttling tests set their own).
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    ...testPasswordHashCost(env),
    ...(mode === 'services' ? { DATABASE_URL: runDatabaseUrl(), REDIS_URL: REDIS_URL, REDIS_PREFIX: runRedisPrefix() } : {}),
    DATA_DIR: path.join(dataDir, 'data'),
    ...env,
  });
  if (mode === 'services' && config.database.url === runDatabaseUrl()) refuseSharedJobSettings(config, options);
  if (!config.database.url) await seedFromTemplate(config.database.dataDir);
  const app = await createApp(config, options);
  const dispose = leftover(async () => {
    await app.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    ...app,
    dispose,
    wsUrl: `${app.url.replace(/^http/, 'ws')}/graphql`,
    gql: (query, variables, token) => postGraphQL(app.url, query, variables, token),
  };
}

export async function postGraphQL<T>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GqlResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GqlResponse<T>['errors'] };
  return { status: response.status, data: body.data, errors: body.errors };
}
