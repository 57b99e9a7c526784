// Sessions the server ends on its own are security events (issue 23): one SessionRevoked row per
// ended session, outcome IDLE_TIMEOUT or TOKEN_REUSED, listed by practiceSecurityEvents to the
// owner's practice, however many requests then present the dead token. Time is the server's
// injected clock, moved by the test.
import { login, TEST_PASSWORD, type TestAccount } from '../../../test/helpers/accounts';
import { movableClock } from '../../../test/helpers/movable-clock';
import { createPractice, joinPractice, type TestPractice } from '../../../test/helpers/practices';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server';
import { waitUntil } from '../../../test/helpers/wait-for';

const ME = '{ me { id } }';
const REFRESH = 'mutation { refreshToken { token } }';
const EVENTS = 'query ($p: ID!) { practiceSecurityEvents(practiceId: $p, first: 200) { id action outcome actorName } }';
interface Listed {
  id: string;
  action: string;
  outcome: string;
  actorName: string | null;
}

const clock = movableClock();
let server: TestServer;
let practice: TestPractice;
let idler: TestAccount;
let reuser: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services', { SESSION_IDLE_TIMEOUT: '5m' }, { clock });
  practice = await createPractice(server);
  // Joined before the clock moves (inviting needs the admin's first session).
  idler = await joinPractice(server, practice, 'STAFF');
  reuser = await joinPractice(server, practice, 'STAFF');
});
afterAll(async () => {
  await server.dispose();
});

const codeOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.[0]?.extensions?.['code'] ?? 'OK';

/** The practice's SessionRevoked events about this member, read by its admin (signed in afresh: the clock moved). */
async function sessionEndsOf(member: TestAccount): Promise<Listed[]> {
  const token = await login(server, practice.admin.email, TEST_PASSWORD);
  const listed = await server.gql<{ practiceSecurityEvents: Listed[] }>(EVENTS, { p: practice.id }, token);
  if (!listed.data) throw new Error(JSON.stringify(listed.errors));
  return listed.data.practiceSecurityEvents.filter(
    (event) => event.action === 'security.sessionRevoked' && event.actorName === member.name,
  );
}

it('records one IDLE_TIMEOUT event when a staff member’s session idles out, however often the token is presented again', async () => {
  const staff = idler;
  expect(codeOf(await server.gql(ME, {}, staff.token))).toBe('OK');
  clock.advance(6 * 60_000);
  for (let i = 0; i < 3; i += 1) expect(codeOf(await server.gql(ME, {}, staff.token))).toBe('UNAUTHENTICATED');

  await waitUntil('the idle end is recorded', async () => (await sessionEndsOf(staff)).length > 0);
  expect((await sessionEndsOf(staff)).map((event) => event.outcome)).toEqual(['IDLE_TIMEOUT']);
});

it('records one TOKEN_REUSED event when a rotated token is presented after its grace', async () => {
  const staff = reuser;
  // A session of its own, opened now (the first one may have idled out while the clock moved).
  const token = await login(server, staff.email, TEST_PASSWORD);
  const renewed = await server.gql<{ refreshToken: { token: string } }>(REFRESH, {}, token);
  expect(codeOf(renewed)).toBe('OK');
  clock.advance(31_000);
  expect(codeOf(await server.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await server.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  expect(codeOf(await server.gql(ME, {}, renewed.data!.refreshToken.token))).toBe('UNAUTHENTICATED');

  await waitUntil('the reuse is recorded', async () => (await sessionEndsOf(staff)).length > 0);
  expect((await sessionEndsOf(staff)).map((event) => event.outcome)).toEqual(['TOKEN_REUSED']);
});
