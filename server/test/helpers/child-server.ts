import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postGraphQL, TEST_AUDIT_KEY, TEST_DATA_ENCRYPTION_KEY, TEST_JWT_SECRET, type GqlResponse } from './test-server';
import { leftover } from './leftovers';
import { runDatabaseUrl, runRedisPrefix, testPasswordHashCost } from './test-env';

const SERVER_DIR = path.resolve(__dirname, '..', '..');

/** A CareLine instance in its own process (`node -r @swc-node/register src/main.ts`), as deployed. */
export interface ChildServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly pid: number;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>>;
  /** Sends a signal (SIGKILL: the instance dies without any cleanup). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** SIGKILL if still running, then waits for the exit. */
  dispose(): Promise<void>;
}

/**
 * Starts an instance on this run's PostgreSQL database with `env` on top (REDIS_URL, limits...).
 * Resolves once it logs the URL it listens on. Killed after the test (see leftovers.ts) if still running.
 * The bound is generous: three instances starting at once on a busy 2-core CI machine (the other
 * suite's servers beside them) took more than 30 s.
 */
export function startChildServer(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ChildServer> {
  // Its own folder: the .eml files it writes when SMTP_URL is unset stay out of the repository.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'careline-child-'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
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
      DATABASE_URL: runDatabaseUrl(),
      REDIS_PREFIX: runRedisPrefix(),
      DATA_DIR: path.join(dataDir, 'data'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const dispose = leftover(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`instance did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`instance exited (${code ?? signal}) before listening:\n${output}`));
    });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const url = urlOf(line);
        if (!url) continue;
        clearTimeout(timer);
        resolve({
          url,
          wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
          pid: child.pid!,
          gql: (query, variables, token) => postGraphQL(url, query, variables, token),
          kill: (signal) => child.kill(signal),
          exited,
          output: () => output,
          dispose,
        });
      }
    });
  });
}

function urlOf(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { url?: unknown };
    return typeof record.url === 'string' ? record.url : undefined;
  } catch {
    return undefined;
  }
}
