// What the delivery measurements share: a database and a redis-server of their own (a run never
// touches the shared services' data), CareLine instances started as child processes on them, and
// accounts registered through the API. Like the main harness, they speak only the public protocol.
import { randomUUID } from 'node:crypto';
import { waitUntil } from '../src/clock';
import { percentiles } from '../src/stats';
import { createBenchDatabase } from '../src/support/database';
import { registerAccount, type Account } from '../src/support/graphql';
import { startOwnRedis, type OwnRedis } from '../src/support/redis-server';
import { SLOT_MS, slotBase } from '../src/slots';
import { startCareLine, subscribersOf, type Instance } from '../src/targets';

export interface BenchEnv {
  /** The run's own redis-server: a script may stop and start it. */
  readonly redis: OwnRedis;
  /** Starts one more instance on the run's database and Redis, `env` on top of the bench's settings. */
  startServer(env?: Record<string, string>): Promise<Instance>;
  /** Stops the instances and the redis-server, and drops the database. Twice is harmless. */
  dispose(): Promise<void>;
}

/** Creates the run's database and redis-server; Ctrl-C disposes them before the process exits. */
export async function startBenchEnv(): Promise<BenchEnv> {
  const database = await createBenchDatabase();
  const redis = await startOwnRedis().catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const servers: Instance[] = [];
  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      await Promise.allSettled(servers.map((server) => server.stop()));
      await redis.stop();
      await database.drop();
    })());
  const interrupt = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the servers and dropping ${database.name}`);
    void dispose().finally(() => process.exit(1));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return {
    redis,
    async startServer(env = {}) {
      const server = await startCareLine(`instance ${servers.length + 1}`, {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        REDIS_PREFIX: database.redisPrefix,
        // An outage on purpose is no news: keep the measured output readable.
        LOG_LEVEL: 'error',
        ...env,
      });
      servers.push(server);
      return server;
    },
    dispose,
  };
}

/** A new doctor (administering a one-doctor practice of their own) with a unique email. */
export function registerDoctor(server: Instance): Promise<Account> {
  const tag = randomUUID().slice(0, 8);
  return registerAccount(server.url, 'DOCTOR', `delivery-d-${tag}@bench.careline`, `Dr. Delivery ${tag}`);
}

/** A new patient with a unique email. */
export function registerPatient(server: Instance): Promise<Account> {
  const tag = randomUUID().slice(0, 8);
  return registerAccount(server.url, 'PATIENT', `delivery-p-${tag}@bench.careline`, `Patient ${tag}`);
}

/** Half-hour slots from tomorrow on: slot(i) never overlaps slot(j), so every booking commits. */
export function slotSeries(): (index: number) => Date {
  const base = slotBase();
  return (index) => new Date(base + index * SLOT_MS);
}

/** Resolves once the instances hold `count` live patientAdded subscriptions of these doctors in all. */
export function waitForSubscribers(servers: readonly Instance[], doctorIds: readonly string[], count: number): Promise<void> {
  return waitUntil(
    `${count} live subscriptions`,
    async () => (await subscribersOf({ instances: [...servers] }, doctorIds)) >= count,
    30_000,
  );
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

/** One printed line: p50, p90 and p99 of latencies in ms. */
export function latencyLine(name: string, samples: readonly number[]): string {
  const { count, p50, p90, p99 } = percentiles(samples);
  return `${name.padEnd(42)} p50 ${p50.toFixed(1)} ms   p90 ${p90.toFixed(1)} ms   p99 ${p99.toFixed(1)} ms   (n=${count})`;
}

/** Runs a script's main, exiting 1 on an error. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
