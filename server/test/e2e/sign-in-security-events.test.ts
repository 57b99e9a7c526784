// Sign-in security events (issue 23): every sign-in (success, failure, lock-out), password change
// and "sign out everywhere" of a member is an audit row its practice's admins list with
// practiceSecurityEvents, with the client's address and user agent.
import { randomUUID } from 'node:crypto';
import { TEST_PASSWORD } from '../helpers/accounts';
import { createPractice, joinPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services', {
    LOGIN_MAX_FAILURES_PER_EMAIL: '2',
    TRUST_PROXY: 'loopback',
    REDIS_PREFIX: `h2-${randomUUID()}:`,
  });
});
afterAll(async () => {
  await server.dispose();
});

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const EVENTS = `query ($p: ID!) { practiceSecurityEvents(practiceId: $p, first: 200) { action outcome actorName clientAddress userAgent } }`;
type Listed = { action: string; outcome: string; actorName: string | null; clientAddress: string | null; userAgent: string | null };

async function signIn(email: string, password: string): Promise<string | undefined> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77', 'user-agent': 'SecurityEventsTest/1.0' },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  const body = (await response.json()) as {
    data?: { login: { token: string } } | null;
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  return body.data?.login.token ?? body.errors?.[0]?.extensions?.code;
}

it("records a member's sign-ins, lock-out, password change and revocation for the practice's admins", async () => {
  const practice = await createPractice(server);
  const member = await joinPractice(server, practice, 'STAFF');

  const token = await signIn(member.email, TEST_PASSWORD);
  expect(token?.length).toBeGreaterThan(20);
  expect(await signIn(member.email, 'wrong password!')).toBe('UNAUTHENTICATED');
  expect(await signIn(member.email, 'wrong password!')).toBe('UNAUTHENTICATED');
  expect(await signIn(member.email, 'wrong password!')).toBe('RATE_LIMITED');

  const changed = await server.gql<{ changePassword: { token: string } }>(
    'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
    { c: TEST_PASSWORD, n: 'violet tractor under moon' },
    token,
  );
  expect(changed.errors).toBeUndefined();
  expect((await server.gql('mutation { logoutEverywhere }', {}, changed.data!.changePassword.token)).errors).toBeUndefined();

  const listed = await server.gql<{ practiceSecurityEvents: Listed[] }>(EVENTS, { p: practice.id }, practice.admin.token);
  expect(listed.errors).toBeUndefined();
  const mine = listed.data!.practiceSecurityEvents.filter((event) => event.actorName === member.name);
  expect(mine.map((event) => `${event.action} ${event.outcome}`).reverse()).toEqual(
    expect.arrayContaining([
      'security.signIn SUCCESS',
      'security.signIn FAILURE',
      'security.signIn LOCKED_OUT',
      'security.passwordChanged SUCCESS',
      'security.sessionRevoked SUCCESS',
    ]),
  );
  const signIns = mine.filter((event) => event.action === 'security.signIn');
  expect(signIns.map((event) => event.outcome).reverse()).toEqual(['SUCCESS', 'FAILURE', 'FAILURE', 'LOCKED_OUT']);
  for (const event of signIns) expect(event).toMatchObject({ clientAddress: '203.0.113.77', userAgent: 'SecurityEventsTest/1.0' });
}, 120_000);
