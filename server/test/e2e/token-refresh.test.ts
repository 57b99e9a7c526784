// Short-lived tokens on long-lived sockets: a socket follows its session, not the token it
// connected with. The dashboard renews its token over HTTP (refreshToken) while the socket stays
// open past the first token's expiry; a session that reaches SESSION_MAX_AGE still closes it (4401).
// Time is the server's injected clock, moved by the test: nothing waits for a token to expire.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { movableClock, type MovableClock } from '../helpers/movable-clock';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

const leftovers: Array<{ dispose(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(leftovers.splice(0).map((leftover) => leftover.dispose()));
});

const ME = '{ me { id } }';
const REFRESH = 'mutation { refreshToken { token user { id } } }';
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.[0]?.extensions?.['code'] ?? 'OK';

async function start(env: Record<string, string>, clock?: MovableClock): Promise<TestServer> {
  const server = await startTestServer('services', env, clock ? { clock } : {});
  leftovers.push(server);
  return server;
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
  const clock = movableClock();
  const server = await start({ JWT_EXPIRES_IN: '10s' }, clock);
  const doctor = await registerDoctor(server);
  const socket = dashboardOf(server, doctor.id, doctor.token);
  await waitForDoctorSubscribers(server, doctor.id);

  // As the dashboard does: renew shortly before the token expires (here in its last 4 seconds).
  const expiresAtMs = expiryOf(doctor.token);
  clock.advance(expiresAtMs - 4000 - clock().getTime());
  const refreshed = await server.gql<{ refreshToken: { token: string; user: { id: string } } }>(REFRESH, {}, doctor.token);
  expect(refreshed.data?.refreshToken.user.id).toBe(doctor.id);
  const renewed = refreshed.data!.refreshToken.token;
  expect(expiryOf(renewed)).toBeGreaterThan(expiresAtMs);

  // The first token expires (10 s): HTTP refuses it, and it can no longer be refreshed.
  clock.advance(5000);
  expect(codeOf(await server.gql(ME, {}, doctor.token))).toBe('UNAUTHENTICATED');
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
  const clock = movableClock();
  const server = await start({ JWT_EXPIRES_IN: '10s', SESSION_MAX_AGE: '12s' }, clock);
  const doctor = await registerDoctor(server);
  // A refresh 8 s in ends with the session (12 s), not 10 s later.
  clock.advance(8000);
  const refreshed = await server.gql<{ refreshToken: { token: string } }>(REFRESH, {}, doctor.token);
  const renewed = refreshed.data!.refreshToken.token;
  expect(expiryOf(renewed)).toBeLessThanOrEqual(expiryOf(doctor.token) + 2000);
  // The dashboard opens its socket with a second of the session left (tokens expire on whole seconds).
  clock.advance(3000);
  const socket = dashboardOf(server, doctor.id, renewed);
  await waitForDoctorSubscribers(server, doctor.id);

  // The session's last second passes: the socket is closed as its session expires.
  clock.advance(2000);
  const closed = await Promise.race([
    socket.closed,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('socket outlived its session')), 20_000).unref()),
  ]);
  expect(closed).toEqual({ code: 4401, reason: 'Session expired' });
  expect(codeOf(await server.gql(ME, {}, renewed))).toBe('UNAUTHENTICATED');
}, 60_000);

it('rotates on refreshToken: the previous token works for the grace, then presenting it ends the whole session', async () => {
  const clock = movableClock();
  const server = await start({}, clock);
  const doctor = await registerDoctor(server);
  const first = doctor.token;
  const refreshed = await server.gql<{ refreshToken: { token: string } }>(REFRESH, {}, first);
  const second = refreshed.data!.refreshToken.token;
  expect(second).not.toBe(first);

  // Within the grace (at most 30 s) the previous token still works, and a second renewal with it
  // (another tab) gets a token of the current generation instead of rotating again.
  clock.advance(20_000);
  expect(codeOf(await server.gql(ME, {}, first))).toBe('OK');
  const twin = await server.gql<{ refreshToken: { token: string } }>(REFRESH, {}, first);
  expect(codeOf(twin)).toBe('OK');
  expect(codeOf(await server.gql(ME, {}, twin.data!.refreshToken.token))).toBe('OK');
  const socket = dashboardOf(server, doctor.id, second);
  await waitForDoctorSubscribers(server, doctor.id);

  // Past the grace: the current token works until the previous one is presented again (reuse).
  clock.advance(11_000);
  expect(codeOf(await server.gql(ME, {}, second))).toBe('OK');
  expect(codeOf(await server.gql(ME, {}, first))).toBe('UNAUTHENTICATED');
  expect(codeOf(await server.gql(ME, {}, second))).toBe('UNAUTHENTICATED');
  expect(codeOf(await server.gql(REFRESH, {}, second))).toBe('UNAUTHENTICATED');
  expect((await socket.closed).code).toBe(4401);
}, 60_000);

it('ends a session after SESSION_IDLE_TIMEOUT without user activity; events a socket only receives are not activity', async () => {
  const clock = movableClock();
  const server = await start({ SESSION_IDLE_TIMEOUT: '5m' }, clock);
  const doctor = await registerDoctor(server);
  const socket = dashboardOf(server, doctor.id, doctor.token);
  await waitForDoctorSubscribers(server, doctor.id);

  // Requests are activity: 4 + 4 minutes with a request in between keep the session.
  clock.advance(4 * 60_000);
  expect(codeOf(await server.gql(ME, {}, doctor.token))).toBe('OK');
  clock.advance(4 * 60_000);
  expect(codeOf(await server.gql(ME, {}, doctor.token))).toBe('OK');

  // The socket receiving a booking 4 minutes later is not activity...
  clock.advance(4 * 60_000);
  const patient = await registerPatient(server);
  expect((await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() })).errors).toBeUndefined();
  expect((await socket.next({ timeoutMs: 5000 })).data?.patientAdded.patient.id).toBe(patient.id);

  // ...so 5 minutes after the last request the session has ended: tokens refused, socket closed 4401.
  clock.advance(60_000);
  expect(codeOf(await server.gql(ME, {}, doctor.token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await server.gql(REFRESH, {}, doctor.token))).toBe('UNAUTHENTICATED');
  expect((await socket.closed).code).toBe(4401);
  // The patient, active a minute ago, is not affected.
  expect(codeOf(await server.gql(ME, {}, patient.token))).toBe('OK');
}, 60_000);
