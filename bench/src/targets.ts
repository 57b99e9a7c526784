import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from './clock';
import { processCpuMs } from './cpu';
import { slotBase, type SlotPlan } from './slots';
import type { BenchDatabase } from './support/database';
import { registerAccount } from './support/graphql';
import { freePort } from './support/ports';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'bench-secret-that-is-at-least-32-bytes-long!';
// Required in production: the audit chains' HMAC key.
const AUDIT_KEY = 'bench-audit-key-that-is-at-least-32-bytes-long';
// Required in production: the key that seals stored secrets (32 bytes, hex).
const DATA_ENCRYPTION_KEY = 'be5c'.repeat(16);

export type TargetName = 'floor' | 'embedded' | 'services-1' | 'services-2' | 'services-cluster';

/** One running server process (a CareLine instance or the floor program). */
export interface Instance {
  readonly url: string;
  readonly wsUrl: string;
  /** CPU time the server process has used so far (ms, from /proc; NaN where unavailable). */
  cpuMs(): number;
  /** Sends the server process a signal (the statement counter dumps its counts on SIGUSR2). */
  signal(name: NodeJS.Signals): void;
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
  /** The PostgreSQL database the target writes (the services targets'); the floor and the embedded target have none the bench can read. */
  readonly databaseUrl?: string;
  readonly instances: Instance[];
  readonly accounts: Accounts;
}

export interface StartOptions {
  /** Extra node flags for the server (e.g. --cpu-prof). */
  readonly nodeFlags: readonly string[];
}
const NO_FLAGS: StartOptions = { nodeFlags: [] };

/** Starts `script` as a child process on a free port and waits (bounded) for GET /readyz. */
async function startInstance(name: string, script: Script, env: Record<string, string>, options: StartOptions): Promise<Instance> {
  const port = await freePort();
  // The node flags of `npm start` (server/package.json: the young generation's size), then the bench's own.
  const nodeFlags = ['--max-semi-space-size=32', '--expose-gc', ...options.nodeFlags];
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, '-r', '@swc-node/register', script.file], {
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
    await waitUntil(
      `${name} to be ready`,
      async () => {
        if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode} while starting`);
        try {
          return (await fetch(`${url}/readyz`)).status === 200;
        } catch {
          return false;
        }
      },
      90_000,
      200,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    cpuMs: () => processCpuMs(child.pid),
    signal: (name) => {
      child.kill(name);
    },
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
// (decorator metadata, which type-graphql needs). BENCH_SERVER_DIR runs another checkout's server/
// instead (a before/after comparison in one run of the harness).
const SERVER_SCRIPT: Script = { cwd: process.env['BENCH_SERVER_DIR'] ?? path.join(REPO_ROOT, 'server'), file: path.join('src', 'main.ts') };
const FLOOR_SCRIPT: Script = { cwd: REPO_ROOT, file: path.join('bench', 'floor', 'server.ts') };

/**
 * What the bench sets on CareLine, here and nowhere else: callers add only where the database,
 * Redis and mail relay are (and the delivery scripts a quieter log), so a renamed variable is one edit.
 */
function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    // The harness registers its doctors itself, each in a one-doctor practice.
    DOCTOR_SELF_REGISTRATION: 'true',
    JWT_SECRET,
    AUDIT_KEY,
    DATA_ENCRYPTION_KEY,
    // Production holds doctors and staff without a second factor to enrolling (MFA_REQUIRED_ROLES):
    // the scripted accounts have none, and the bench measures delivery, not sign-in.
    MFA_REQUIRED_ROLES: '',
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

/** Registers the bench's doctors and patients through the API, a few at a time (scrypt is slow on purpose). */
async function registerAccounts(url: string, counts: AccountCounts): Promise<Accounts> {
  const run = randomBytes(3).toString('hex');
  const register = async (role: 'DOCTOR' | 'PATIENT', i: number) => {
    const doctor = role === 'DOCTOR';
    const { id, token } = await registerAccount(
      url,
      role,
      `bench-${doctor ? 'd' : 'p'}${i}-${run}@bench.careline`,
      doctor ? `Dr. Bench ${i}` : `Patient ${i}`,
    );
    return { id, token };
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
  const instance = await startInstance(
    'floor',
    FLOOR_SCRIPT,
    { DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: database.redisPrefix },
    options,
  );
  const fake = (n: number) => Array.from({ length: n }, () => ({ id: randomUUID(), token: 'floor' }));
  const accounts: Accounts = {
    doctors: fake(counts.doctors),
    patients: fake(counts.patients),
    ...plans(counts),
    nextIndex: 0,
    nextFanoutIndex: 0,
  };
  return { name: 'floor', kind: 'floor', instances: [instance], accounts };
}

/** CareLine embedded (PGlite in its temporary DATA_DIR, in-memory pub/sub): one instance. */
export async function startEmbedded(counts: AccountCounts, options: StartOptions): Promise<Target> {
  const instance = await startCareLine('embedded', {}, options);
  try {
    return { name: 'embedded', kind: 'graphql', instances: [instance], accounts: await registerAccounts(instance.url, counts) };
  } catch (error) {
    await instance.stop();
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
  clusterNodes?: string,
): Promise<Target> {
  const redis: Record<string, string> = clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : { REDIS_URL };
  const env = { DATABASE_URL: database.url, ...redis, REDIS_PREFIX: database.redisPrefix };
  const instances: Instance[] = [];
  try {
    // One at a time: the first applies the migrations (the others would wait on its lock anyway).
    for (let i = 0; i < count; i++) instances.push(await startCareLine(`services instance ${i + 1}`, env, options));
    return {
      name: clusterNodes ? 'services-cluster' : count === 1 ? 'services-1' : 'services-2',
      kind: 'graphql',
      databaseUrl: database.url,
      instances,
      accounts: accounts ?? (await registerAccounts(instances[0]!.url, counts)),
    };
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }
}

/**
 * One CareLine instance with the bench's settings (serverEnv) and `env` on top (the delivery
 * scripts use it with their own database, Redis and receivers). Its DATA_DIR is a temporary folder,
 * removed once it stopped: the embedded database, or the .eml files of a server without SMTP_URL
 * (one per booking confirmation, which would otherwise pile up in the checkout).
 */
export async function startCareLine(name: string, env: Record<string, string>, options: StartOptions = NO_FLAGS): Promise<Instance> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-bench-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    const instance = await startInstance(name, SERVER_SCRIPT, serverEnv({ DATA_DIR: path.join(dir, 'data'), ...env }), options);
    return { ...instance, stop: () => instance.stop().finally(removeDir) };
  } catch (error) {
    await removeDir();
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

/** Writes a heap snapshot of the target's first instance (after the GC a snapshot does) and answers its file. */
export async function heapSnapshotOf(target: Target): Promise<string> {
  const instance = target.instances[0]!;
  const body = (await (await fetch(`${instance.url}/debug/heap-snapshot`, { method: 'POST' })).json()) as { file: string };
  return body.file;
}

/** Live subscriptions of these doctors, summed over the target's instances. */
export async function subscribersOf(target: Pick<Target, 'instances'>, doctorIds: readonly string[]): Promise<number> {
  let total = 0;
  for (const instance of target.instances) {
    const body = (await (await fetch(`${instance.url}/debug/subscribers?doctorIds=${doctorIds.join(',')}`)).json()) as { count: number };
    total += body.count;
  }
  return total;
}
