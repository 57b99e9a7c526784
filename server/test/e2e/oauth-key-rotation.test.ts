// `npm run admin -- rotate-oauth-key`: a new signing key becomes current (ID tokens carry its kid
// once the servers restart), the previous one stays published in the JWKS while what it signed is
// valid, and a later rotation drops it. On a database of its own: the run's other servers keep theirs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, TEST_AUDIT_KEY, TEST_DATA_ENCRYPTION_KEY, type TestServer } from '../helpers/test-server';
import { rotateSigningKeys } from '../../src/features/apps/oauth-keys';
import { dataCipherFromConfig } from '../../src/platform/data-cipher';

jest.setTimeout(180_000);

const SERVER_DIR = path.resolve(__dirname, '..', '..');

function admin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/admin.ts', ...args], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      AUDIT_KEY: TEST_AUDIT_KEY,
      DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

let own: OwnDatabase;
let port: number;
let server: TestServer;
let patient: TestAccount;
let app: RegisteredApp;

const start = () => startTestServer('services', { DATABASE_URL: own.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
const kidsOf = async (url: string) =>
  ((await (await fetch(`${url}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
async function idTokenKid(): Promise<string | undefined> {
  const tokens = await authorizedTokens(server, await configuration(server, app.clientId), 'openid', patient);
  const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string };
  return header.kid;
}

beforeAll(async () => {
  own = await createOwnDatabase('careline_keys');
  port = await freePort();
  server = await start();
  const doctor = await registerDoctor(server);
  const me = await server.gql<{ me: { doctor: { practice: { id: string } } } }>('{ me { doctor { practice { id } } } }', {}, doctor.token);
  app = await registerApp(server, doctor, me.data!.me.doctor.practice.id, ['openid']);
  patient = await registerPatient(server);
});
afterAll(async () => {
  await server.dispose();
  await own.drop();
});

it('makes a new key current, keeps the previous one published while its tokens live, and drops it afterwards', async () => {
  const [first] = await kidsOf(server.url);
  expect(await idTokenKid()).toBe(first);

  const rotated = await admin(['rotate-oauth-key'], { DATABASE_URL: own.url });
  expect(rotated.stderr).toBe('');
  expect(rotated.code).toBe(0);
  const second = /oauth signing key (\S+) is now current/.exec(rotated.stdout)?.[1];
  expect(second).toBeDefined();
  expect(rotated.stdout).toContain(`retired ${first}`);

  // After a restart: the new key signs, the previous one is still published (tokens it signed verify).
  await server.dispose();
  server = await start();
  expect(await kidsOf(server.url)).toEqual([second, first]);
  expect(await idTokenKid()).toBe(second);

  // A rotation once the previous key's tokens have expired (two hours on) drops it.
  const later = new Date(Date.now() + 2 * 3600_000);
  const cipher = dataCipherFromConfig({ key: TEST_DATA_ENCRYPTION_KEY, previousKeys: [] });
  const third = await rotateSigningKeys(server.database.sql, cipher, () => later);
  expect(third.dropped).toEqual([first]);
  expect(third.retired).toEqual([second]);
  await server.dispose();
  server = await start();
  expect(await kidsOf(server.url)).toEqual([third.current, second]);
  expect(await idTokenKid()).toBe(third.current);
});
