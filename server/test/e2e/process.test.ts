// The server as an operator runs it: one process per data folder, a clear refusal to start with
// bad configuration, and a graceful stop on SIGTERM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { leftover } from '../helpers/leftovers';
import { spawnMain, type MainProcess } from '../helpers/spawn-main';
import { TEST_JWT_SECRET } from '../helpers/test-server';

// Every process a test spawns is killed after it, if still running (helpers/leftovers.ts).
let dataRoot: string;

// Each test cold-starts the embedded database (all migrations, pgcrypto) once or twice: on a
// busy 2-core CI machine one start has taken more than 30 s.
jest.setTimeout(240_000);

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'careline-process-'));
});
afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

function start(env: Record<string, string>): MainProcess {
  return spawnMain({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', JWT_SECRET: TEST_JWT_SECRET, ...env });
}

it('refuses to start in production without JWT_SECRET, naming the variable', async () => {
  const child = spawnMain({ NODE_ENV: 'production', DATA_DIR: path.join(dataRoot, 'prod') });
  expect((await child.exited).code).toBe(1);
  expect(child.output()).toContain('JWT_SECRET is required when NODE_ENV=production');
});

it('refuses to start in production with SEED_DEMO=true (public demo passwords), saying so', async () => {
  const child = spawnMain({
    NODE_ENV: 'production',
    JWT_SECRET: TEST_JWT_SECRET,
    SEED_DEMO: 'true',
    DATA_DIR: path.join(dataRoot, 'prod-demo'),
  });
  expect((await child.exited).code).toBe(1);
  expect(child.output()).toContain('SEED_DEMO=true is refused when NODE_ENV=production');
});

it('refuses a second process on the same embedded data folder with a clear message', async () => {
  const dataDir = path.join(dataRoot, 'shared');
  const first = start({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
  await first.ready();
  expect(first.output()).toContain('dr.chen@careline.demo');
  const second = start({ DATA_DIR: dataDir });
  expect((await second.exited).code).toBe(1);
  expect(second.output()).toMatch(/in use by another CareLine process \(pid \d+\)/);
});

it('stops on SIGTERM: open sockets close with 1001 and the process exits 0', async () => {
  // As a user runs it (development): Apollo Server installs signal handlers of its own outside
  // NODE_ENV=test, and racing ours they made every stop wait SHUTDOWN_TIMEOUT and exit 1.
  const child = start({ NODE_ENV: 'development', DATA_DIR: path.join(dataRoot, 'sigterm'), SHUTDOWN_TIMEOUT: '8s' });
  const url = await child.ready();
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  leftover(async () => socket.terminate());
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const stoppedAt = Date.now();
  child.process.kill('SIGTERM');
  expect(await closed).toBe(1001);
  expect(await child.exited).toEqual({ code: 0, signal: null });
  console.info(`SIGTERM -> exit took ${Date.now() - stoppedAt} ms`);
  expect(child.output()).toContain('"msg":"stopped"');
});

it('keeps its data across a restart and seeds the demo only once', async () => {
  const dataDir = path.join(dataRoot, 'restart');
  const first = start({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
  await first.ready();
  expect(first.output()).toContain('seeded demo data');
  first.process.kill('SIGTERM');
  expect((await first.exited).code).toBe(0);

  const second = start({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
  const url = await second.ready();
  expect(second.output()).not.toContain('seeded demo data');
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(email: "dr.chen@careline.demo", password: "careline-demo") { user { role } } }' }),
  });
  expect(await response.json()).toEqual({ data: { login: { user: { role: 'DOCTOR' } } } });
});
