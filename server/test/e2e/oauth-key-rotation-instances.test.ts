// A rotated signing key reaches every running instance without a restart: after
// `npm run admin -- rotate-oauth-key`, both instances publish the new key and the previous one,
// sign new ID tokens with the new key, and what the previous key signed still verifies (and the
// access tokens issued before keep working). On a database of its own: the run's other servers keep theirs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { registerPatient, type TestAccount } from '../helpers/accounts';
import * as oidc from 'openid-client';
import { authorize, authorizedTokens, configuration, freePort, registerApp, type RegisteredApp } from '../helpers/oauth';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { createPractice } from '../helpers/practices';
import { REDIS_URL, runRedisPrefix } from '../helpers/test-env';
import { startTestServer, TEST_AUDIT_KEY, TEST_DATA_ENCRYPTION_KEY, type TestServer } from '../helpers/test-server';
import { waitUntil } from '../helpers/wait-for';

jest.setTimeout(180_000);

const SERVER_DIR = path.resolve(__dirname, '..', '..');

function rotateKey(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/scripts/admin.ts', 'rotate-oauth-key'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      AUDIT_KEY: TEST_AUDIT_KEY,
      DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
      DATABASE_URL: databaseUrl,
      // The servers' own channel: they hear of the rotation at once.
      REDIS_URL,
      REDIS_PREFIX: runRedisPrefix(),
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
let publicUrl: string;
let instanceA: TestServer;
let instanceB: TestServer;
let patient: TestAccount;
let app: RegisteredApp;

const kidsOf = async (server: TestServer) =>
  ((await (await fetch(`${server.url}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
const verifyAt = (server: TestServer, idToken: string) =>
  jwtVerify(idToken, createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`)), { issuer: publicUrl, audience: app.clientId });

beforeAll(async () => {
  own = await createOwnDatabase('careline_keys_live');
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  instanceA = await startTestServer('services', { DATABASE_URL: own.url, PORT: String(port), PUBLIC_URL: publicUrl });
  instanceB = await startTestServer('services', { DATABASE_URL: own.url, PUBLIC_URL: publicUrl });
  const practice = await createPractice(instanceA);
  app = await registerApp(instanceA, practice.admin, practice.id, ['openid', 'patient/Appointment.rs']);
  patient = await registerPatient(instanceA);
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
  await own.drop();
});

it('publishes and signs with a rotated key on both running instances, and what the previous key signed stays valid', async () => {
  const [first] = await kidsOf(instanceA);
  expect(await kidsOf(instanceB)).toEqual([first]);
  const before = await authorizedTokens(instanceA, await configuration(instanceA, app.clientId), 'openid patient/Appointment.rs', patient);
  expect(decodeProtectedHeader(before.id_token!).kid).toBe(first);

  const rotated = await rotateKey(own.url);
  expect(rotated.stderr).toBe('');
  expect(rotated.code).toBe(0);
  const second = /oauth signing key (\S+) is now current/.exec(rotated.stdout)?.[1];
  expect(second).toBeDefined();
  expect(rotated.stdout).toContain('no restart needed');

  // No restart: both instances hear of it over Redis and read the keys again.
  for (const instance of [instanceA, instanceB]) {
    await waitUntil('the rotated key in the JWKS', async () => (await kidsOf(instance))[0] === second);
    expect(await kidsOf(instance)).toEqual([second, first]);
  }
  // New ID tokens carry the new key, from either instance, and verify against the other's JWKS.
  const atA = await authorizedTokens(instanceA, await configuration(instanceA, app.clientId), 'openid', patient);
  expect(decodeProtectedHeader(atA.id_token!).kid).toBe(second);
  await expect(verifyAt(instanceB, atA.id_token!)).resolves.toBeDefined();
  // The code redeemed at instance B (the issuer's address is A's: the app's requests are sent to B).
  const { callback, verifier, state } = await authorize(instanceA, await configuration(instanceA, app.clientId), 'openid', patient);
  const viaB = await oidc.discovery(new URL(publicUrl), app.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: (url, options) => fetch(url.replace(instanceA.url, instanceB.url), options),
  });
  const atB = await oidc.authorizationCodeGrant(viaB, callback, { pkceCodeVerifier: verifier, expectedState: state });
  expect(decodeProtectedHeader(atB.id_token!).kid).toBe(second);
  await expect(verifyAt(instanceA, atB.id_token!)).resolves.toBeDefined();
  // What the previous key signed still verifies on both, and tokens issued before still work.
  for (const instance of [instanceA, instanceB]) {
    await expect(verifyAt(instance, before.id_token!)).resolves.toBeDefined();
    expect((await instance.gql('{ me { id } }', {}, before.access_token)).data).toEqual({ me: { id: patient.id } });
  }
});
