// A real CareLine server in a child process, as `npm start` runs it, so a browser test can stop
// and restart it on the same port and database (a restart that a real dashboard survives).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

// Run as `npm start` does: from server/, where @swc-node/register finds the decorator settings.
const SERVER_DIR = path.resolve(import.meta.dirname, '..', '..', 'server');
// Generous: the demo seed on a busy 2-core machine (CI runs other suites beside it) can take a minute.
const STARTUP_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  readonly url: string;
  /** Stops the server gracefully (SIGTERM: sockets close with 1001) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data folder and secret. */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The data folder of a server that has run every migration (server-template.ts); each test
     * server starts from a copy. Only the browser project provides it (the docs project does not).
     */
    serverTemplate?: string;
  }
}

/**
 * Starts a server on a free port with an embedded database in a fresh folder; resolves once /readyz
 * is ready. `overrides` sets more variables (SEED_DEMO: 'true' for demo data). The folder starts as
 * a copy of the run's migrated one (server-template.ts) where there is one: a fresh database would
 * spend seconds of CPU on initdb and every migration.
 */
export async function startServerProcess(overrides: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careline-browser-'));
  const template = inject('serverTemplate');
  if (template) await cp(template, path.join(dataDir, 'data'), { recursive: true });
  return runServerProcess(dataDir, overrides);
}

/** The server of startServerProcess, on `dataDir`/data as it is. */
async function runServerProcess(dataDir: string, overrides: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: path.join(dataDir, 'data'),
    SEED_DEMO: 'false',
    DOCTOR_SELF_REGISTRATION: 'true',
    // Every account of the run signs in from 127.0.0.1: lift the per-address sign-in limit (the
    // throttling tests set their own).
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    // Cheap password hashes (scrypt 2^10, milliseconds; production refuses them): every test registers accounts.
    ...(overrides['NODE_ENV'] === 'production' ? {} : { PASSWORD_HASH_COST: '10' }),
    LOG_LEVEL: 'warn',
    // Fixed for the test, so tokens issued before a restart stay valid after it.
    JWT_SECRET: 'browser-test-secret-that-is-at-least-32-bytes',
    DATABASE_URL: '',
    REDIS_URL: '',
    ...overrides,
  };
  let child: ChildProcess | undefined;

  const start = async () => {
    const output: string[] = [];
    const started = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`server exited with ${started.exitCode}:\n${output.join('')}`);
      const ready = await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200)); // polling a port: nothing to subscribe to
    }
    started.kill('SIGKILL');
    throw new Error(`server not ready within ${STARTUP_TIMEOUT_MS} ms:\n${output.join('')}`);
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    start,
    stop,
    dispose: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A data folder whose database has run every migration: a server started on it once and stopped
 * (SIGTERM, so the embedded database is written out). The browser tests' global setup makes one
 * per run (server-template.ts).
 */
export async function migratedDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careline-browser-template-'));
  const server = await runServerProcess(dataDir, {});
  await server.stop();
  return path.join(dataDir, 'data');
}
