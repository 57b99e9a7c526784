// Short-lived tokens on long-lived sockets: a socket follows its session, not the token it
// connected with. The dashboard renews its token over HTTP (refreshToken) while the socket stays
// open past the first token's expiry; a session that reaches SESSION_MAX_AGE still closes it (4401).
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

const leftovers: Array<{ dispose(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(leftovers.splice(0).map((leftover) => leftover.dispose()));
});

const ME = '{ me { id } }';
const REFRESH = 'mutation { refreshToken { token user { id } } }';
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.['code'] ?? 'OK';

async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer('services', env);
  leftovers.push(server);
  return server;
}

/** Polls (bounded) until `check` holds: the event a test waits for, never a blind sleep. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** When a token expires, read from its payload (the test trusts its own server's token). */
function expiryOf(token: string): number {
  const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const exp = typeof payload === 'object' && payload !== null && 'exp' in payload ? payload.exp : undefined;
  if (typeof exp !== 'number') throw new Error('token without exp');
  return exp * 1000;
}

function dashboardOf(server: TestServer, doctorId: string, token: string): TestSubscription<{ patientAdded: { patient: { id: string } } }> {
  const subscription = subscribe<{ patientAdded: { patient: { id: string } } }>(
    server.wsUrl,
    token,
    'subscription ($d: ID!) { patientAdded(doctorId: $d) { patient { id } } }',
    { d: doctorId },
  );
  leftovers.push(subscription);
  return subscription;
}

it('keeps a socket alive past its first token’s expiry while the session lives, and refreshToken renews the token', async () => {
  const server = await start({ JWT_EXPIRES_IN: '10s' });
  const doctor = await registerDoctor(server);
  const socket = dashboardOf(server, doctor.id, doctor.token);
  await waitForDoctorSubscribers(server, doctor.id);

  // As the dashboard does: renew shortly before the token expires (here in its last 4 seconds).
  const expiresAtMs = expiryOf(doctor.token);
  await eventually('the renewal point', async () => Date.now() >= expiresAtMs - 4000, 15_000);
  const refreshed = await server.gql<{ refreshToken: { token: string; user: { id: string } } }>(REFRESH, {}, doctor.token);
  expect(refreshed.data?.refreshToken.user.id).toBe(doctor.id);
  const renewed = refreshed.data!.refreshToken.token;
  expect(expiryOf(renewed)).toBeGreaterThan(expiresAtMs);

  // The first token expires (10 s): HTTP refuses it, and it can no longer be refreshed.
  await eventually('the first token to expire', async () => codeOf(await server.gql(ME, {}, doctor.token)) === 'UNAUTHENTICATED', 20_000);
  expect(codeOf(await server.gql(REFRESH, {}, doctor.token))).toBe('UNAUTHENTICATED');

  // The socket opened with it still receives events; the renewed token works on HTTP.
  const patient = await registerPatient(server);
  const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  expect(booked.errors).toBeUndefined();
  expect((await socket.next({ timeoutMs: 5000 })).data?.patientAdded.patient.id).toBe(patient.id);
  expect(codeOf(await server.gql(ME, {}, renewed))).toBe('OK');

  // Signing out with the renewed token ends the session, and with it the socket opened earlier.
  await server.gql('mutation { logout }', {}, renewed);
  expect((await socket.closed).code).toBe(4401);
}, 60_000);

it('closes the socket with 4401 when its session reaches SESSION_MAX_AGE, and no refresh extends it', async () => {
  const server = await start({ JWT_EXPIRES_IN: '10s', SESSION_MAX_AGE: '12s' });
  const doctor = await registerDoctor(server);
  const socket = dashboardOf(server, doctor.id, doctor.token);
  await waitForDoctorSubscribers(server, doctor.id);
  const refreshed = await server.gql<{ refreshToken: { token: string } }>(REFRESH, {}, doctor.token);
  const renewed = refreshed.data!.refreshToken.token;

  const closed = await Promise.race([
    socket.closed,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('socket outlived its session')), 20_000).unref()),
  ]);
  expect(closed).toEqual({ code: 4401, reason: 'Session expired' });
  expect(codeOf(await server.gql(ME, {}, renewed))).toBe('UNAUTHENTICATED');
}, 60_000);
