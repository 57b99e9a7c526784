// Sessions across two instances on one PostgreSQL and Redis: a revoked token is refused on every
// instance at once and its sockets everywhere close with 4401 as the revocation is announced (no
// waiting for the re-check); changePassword ends every other session; mySessions lists them.
import { login, registerDoctor, registerPatient, TEST_PASSWORD, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { closedByAnnouncement, subscribe, type TestSubscription } from '../helpers/ws-client';

let instanceA: TestServer;
let instanceB: TestServer;
const subscriptions: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([startTestServer('services'), startTestServer('services')]);
});
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
});

const ME = '{ me { id } }';
const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.[0]?.extensions?.['code'] ?? 'OK';

/** A live patientAdded socket of the doctor on `server` with this token. */
async function dashboard(server: TestServer, doctor: TestAccount, token: string): Promise<TestSubscription<unknown>> {
  const before = server.services.events.subscriberCount(`doctor:${doctor.id}`);
  const subscription = subscribe(server.wsUrl, token, 'subscription ($d: ID!) { patientAdded(doctorId: $d) { cursor } }', { d: doctor.id });
  subscriptions.push(subscription);
  await waitForDoctorSubscribers(server, doctor.id, before + 1);
  return subscription;
}

it('logout refuses the token on every instance and closes its sockets on every instance with 4401, as the revocation is announced', async () => {
  const doctor = await registerDoctor(instanceA);
  const onA = await dashboard(instanceA, doctor, doctor.token);
  const onB = await dashboard(instanceB, doctor, doctor.token);
  // Both instances have the session cached as live: the revocation must reach them, not a cache miss.
  expect(codeOf(await instanceB.gql(ME, {}, doctor.token))).toBe('OK');

  const loggedOut = await instanceA.gql<{ logout: boolean }>('mutation { logout }', {}, doctor.token);
  expect(loggedOut.data?.logout).toBe(true);
  const [closedA, closedB] = await Promise.all([closedByAnnouncement(onA), closedByAnnouncement(onB)]);
  expect(closedA.code).toBe(4401);
  expect(closedB.code).toBe(4401);
  expect(codeOf(await instanceA.gql(ME, {}, doctor.token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await instanceB.gql(ME, {}, doctor.token))).toBe('UNAUTHENTICATED');
});

it('logout ends only its own session: another sign-in of the account keeps working', async () => {
  const patient = await registerPatient(instanceA);
  const second = await login(instanceB, patient.email, TEST_PASSWORD);
  await instanceA.gql('mutation { logout }', {}, patient.token);
  expect(codeOf(await instanceB.gql(ME, {}, patient.token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await instanceB.gql(ME, {}, second))).toBe('OK');
});

it('logoutEverywhere ends every session of the account, on both instances', async () => {
  const doctor = await registerDoctor(instanceA);
  const second = await login(instanceB, doctor.email, TEST_PASSWORD);
  const socket = await dashboard(instanceB, doctor, second);
  expect(codeOf(await instanceA.gql(ME, {}, second))).toBe('OK');
  await instanceA.gql('mutation { logoutEverywhere }', {}, doctor.token);
  expect((await closedByAnnouncement(socket)).code).toBe(4401);
  for (const token of [doctor.token, second]) {
    for (const server of [instanceA, instanceB]) expect(codeOf(await server.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  }
});

it('changePassword checks the current password, ends every other session and the previous token, and returns a working token', async () => {
  const patient = await registerPatient(instanceA);
  const other = await login(instanceB, patient.email, TEST_PASSWORD);
  const CHANGE = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token user { id } } }';
  const wrong = await instanceA.gql(CHANGE, { c: 'not the password', n: 'a brand new password' }, patient.token);
  expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
  expect(codeOf(await instanceB.gql(ME, {}, other))).toBe('OK');

  const changed = await instanceA.gql<{ changePassword: { token: string; user: { id: string } } }>(
    CHANGE,
    { c: TEST_PASSWORD, n: 'a brand new password' },
    patient.token,
  );
  expect(changed.data?.changePassword.user.id).toBe(patient.id);
  expect(codeOf(await instanceB.gql(ME, {}, other))).toBe('UNAUTHENTICATED');
  expect(codeOf(await instanceB.gql(ME, {}, changed.data!.changePassword.token))).toBe('OK');
  // This session stays, but only with the token changePassword returned: the previous one stops at once.
  expect(codeOf(await instanceA.gql(ME, {}, patient.token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await instanceA.gql(ME, {}, changed.data!.changePassword.token))).toBe('OK');
  await expect(login(instanceA, patient.email, TEST_PASSWORD)).rejects.toThrow(/UNAUTHENTICATED/);
  await expect(login(instanceA, patient.email, 'a brand new password')).resolves.toEqual(expect.any(String));
});

it('mySessions lists the live sessions of the account, the current one marked', async () => {
  const patient = await registerPatient(instanceA);
  const second = await login(instanceB, patient.email, TEST_PASSWORD);
  const listed = await instanceB.gql<{ mySessions: Array<{ id: string; current: boolean; userAgent: string | null; createdAt: string }> }>(
    '{ mySessions { id current userAgent createdAt lastSeenAt } }',
    {},
    second,
  );
  expect(listed.data?.mySessions).toHaveLength(2);
  expect(listed.data!.mySessions.filter((session) => session.current)).toHaveLength(1);
  await instanceA.gql('mutation { logout }', {}, patient.token);
  const after = await instanceB.gql<{ mySessions: Array<{ current: boolean }> }>('{ mySessions { current } }', {}, second);
  expect(after.data?.mySessions).toEqual([{ current: true }]);
});
