import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuMs } from './cpu';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { waitUntil } from './clock';
import { slotBase, type SlotPlan } from './slots';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ADMIN_POSTGRES_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'bench-secret-that-is-at-least-32-bytes-long!';

export type TargetName = 'floor' | 'embedded' | 'services-1' | 'services-2';

/** One running server process (a CareLine instance or the floor program). */
export interface Instance {
  readonly url: string;
  readonly wsUrl: string;
  /** CPU time the server process has used so far (ms, from /proc; NaN where unavailable). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** The doctors and patients a target's scenarios book with, and where the next slots start. */
export interface Accounts {
  readonly doctors: Array<{ id: string; token: string }>;
  readonly patients: Array<{ id: string; token: string }>;
  /** Slots of the many-doctor scenarios. */
  readonly plan: SlotPlan;
  /** Slots of the one-doctor fan-out scenario, a year later so they never meet the others. */
  readonly fanoutPlan: SlotPlan;
  nextIndex: number;
  nextFanoutIndex: number;
}

/** A deployment under test: its instances (load round-robins over them) and its accounts. */
export interface Target {
  readonly name: TargetName;
  readonly kind: 'graphql' | 'floor';
  readonly instances: Instance[];
  readonly accounts: Accounts;
}

/** A fresh PostgreSQL database for this run, dropped WITH (FORCE) at the end. */
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Extra node flags for the server (e.g. --cpu-prof). */
  readonly nodeFlags: readonly string[];
}

/** Starts `script` as a child process on a free port and waits (bounded) for GET /readyz. */
async function startInstance(name: string, script: Script, env: Record<string, string>, options: StartOptions): Promise<Instance> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...options.nodeFlags, '-r', '@swc-node/register', script.file], {
    cwd: script.cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`${name} to be ready`, async () => {
      if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode} while starting`);
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    }, 90_000, 200);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (exitCode !== undefined) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Script {
  readonly cwd: string;
  readonly file: string;
}
// The server runs from server/ as `npm start` does: @swc-node/register then reads server/tsconfig.json
// (decorator metadata, which type-graphql needs).
const SERVER_SCRIPT: Script = { cwd: path.join(REPO_ROOT, 'server'), file: path.join('src', 'main.ts') };
const FLOOR_SCRIPT: Script = { cwd: REPO_ROOT, file: path.join('bench', 'floor', 'server.ts') };

function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    // The harness registers its doctors itself, each in a one-doctor practice.
    DOCTOR_SELF_REGISTRATION: 'true',
    JWT_SECRET,
    // Every account of the run signs in from 127.0.0.1: lift the per-address sign-in limit (the
    // throttling tests set their own).
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    JWT_EXPIRES_IN: '6h',
    LOG_LEVEL: 'warn',
    DEBUG_ENDPOINTS: 'true',
    // The fan-out scenario is one doctor's account on up to 1,000 wall screens; the default cap
    // (10 sockets per user per instance) protects a clinic from a runaway client, not this.
    WS_MAX_SOCKETS_PER_USER: '10000',
    // Likewise every simulated client comes from 127.0.0.1: the per-address and per-account
    // limits (issue 16) would measure the limiter, not the server.
    WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '10000',
    RATE_LIMIT_REGISTRATIONS_PER_HOUR: '0',
    RATE_LIMIT_BOOKINGS_PER_MINUTE: '0',
    RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE: '0',
    RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND: '0',
    // A stuck shutdown must not hold up the next deployment.
    SHUTDOWN_TIMEOUT: '2s',
    ...extra,
  };
}

export interface AccountCounts {
  readonly doctors: number;
  readonly patients: number;
}

function plans(counts: AccountCounts): Pick<Accounts, 'plan' | 'fanoutPlan'> {
  const base = slotBase();
  return {
    plan: { baseMs: base, doctors: counts.doctors, patients: counts.patients },
    fanoutPlan: { baseMs: base + 400 * 86_400_000, doctors: 1, patients: counts.patients },
  };
}

const REGISTER = 'mutation Register($input: RegisterInput!) { register(input: $input) { token user { id } } }';

/** Registers the bench's doctors and patients through the API, a few at a time (scrypt is slow on purpose). */
async function registerAccounts(url: string, counts: AccountCounts): Promise<Accounts> {
  const run = randomBytes(3).toString('hex');
  const register = async (role: 'DOCTOR' | 'PATIENT', i: number) => {
    const input =
      role === 'DOCTOR'
        ? { email: `bench-d${i}-${run}@bench.careline`, password: 'bench password', name: `Dr. Bench ${i}`, role, specialty: 'Bench', timeZone: 'UTC' }
        : { email: `bench-p${i}-${run}@bench.careline`, password: 'bench password', name: `Patient ${i}`, role, dateOfBirth: '1990-01-01T00:00:00.000Z' };
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: REGISTER, variables: { input } }),
    });
    const body = (await response.json()) as { data?: { register: { token: string; user: { id: string } } }; errors?: unknown };
    if (!body.data) throw new Error(`register failed: ${JSON.stringify(body.errors)}`);
    return { id: body.data.register.user.id, token: body.data.register.token };
  };
  const jobs = [
    ...Array.from({ length: counts.doctors }, (_, i) => () => register('DOCTOR', i)),
    ...Array.from({ length: counts.patients }, (_, i) => () => register('PATIENT', i)),
  ];
  const results: Array<{ id: string; token: string }> = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return {
    doctors: results.slice(0, counts.doctors),
    patients: results.slice(counts.doctors),
    ...plans(counts),
    nextIndex: 0,
    nextFanoutIndex: 0,
  };
}

/** The floor program on the bench database; its accounts are just ids (it checks no tokens). */
export async function startFloor(database: BenchDatabase, counts: AccountCounts, options: StartOptions): Promise<Target> {
  const instance = await startInstance('floor', FLOOR_SCRIPT, { DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: database.redisPrefix }, options);
  const fake = (n: number) => Array.from({ length: n }, () => ({ id: randomUUID(), token: 'floor' }));
  const accounts: Accounts = { doctors: fake(counts.doctors), patients: fake(counts.patients), ...plans(counts), nextIndex: 0, nextFanoutIndex: 0 };
  return { name: 'floor', kind: 'floor', instances: [instance], accounts };
}

/** CareLine embedded (PGlite in a temp DATA_DIR, in-memory pub/sub): one instance. */
export async function startEmbedded(counts: AccountCounts, options: StartOptions): Promise<Target & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-bench-'));
  try {
    const instance = await startInstance('embedded', SERVER_SCRIPT, serverEnv({ DATA_DIR: path.join(dir, 'data') }), options);
    const accounts = await registerAccounts(instance.url, counts);
    return { name: 'embedded', kind: 'graphql', instances: [instance], accounts, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * CareLine on PostgreSQL + Redis with `count` instances sharing the bench database and Redis
 * prefix. Accounts are registered once and reused by later deployments on the same database.
 */
export async function startServices(
  database: BenchDatabase,
  count: 1 | 2,
  counts: AccountCounts,
  options: StartOptions,
  accounts?: Accounts,
): Promise<Target> {
  const env = serverEnv({ DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: database.redisPrefix });
  const instances: Instance[] = [];
  try {
    // One at a time: the first applies the migrations (the others would wait on its lock anyway).
    for (let i = 0; i < count; i++) instances.push(await startInstance(`services instance ${i + 1}`, SERVER_SCRIPT, env, options));
    return { name: count === 1 ? 'services-1' : 'services-2', kind: 'graphql', instances, accounts: accounts ?? (await registerAccounts(instances[0]!.url, counts)) };
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }
}

/** Sums GET /debug/memory over a target's instances (after a forced GC when `gc`). */
export async function memoryOf(target: Target, gc: boolean): Promise<{ rss: number; heapUsed: number }> {
  let rss = 0;
  let heapUsed = 0;
  for (const instance of target.instances) {
    const body = (await (await fetch(`${instance.url}/debug/memory${gc ? '?gc=1' : ''}`)).json()) as { rss: number; heapUsed: number };
    rss += body.rss;
    heapUsed += body.heapUsed;
  }
  return { rss, heapUsed };
}

/** Live subscriptions of these doctors, summed over the target's instances. */
export async function subscribersOf(target: Target, doctorIds: readonly string[]): Promise<number> {
  let total = 0;
  for (const instance of target.instances) {
    const body = (await (await fetch(`${instance.url}/debug/subscribers?doctorIds=${doctorIds.join(',')}`)).json()) as { count: number };
    total += body.count;
  }
  return total;
}
