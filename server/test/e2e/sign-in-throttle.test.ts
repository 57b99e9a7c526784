// Sign-in throttling across two instances sharing one Redis: failures for an email, and from an
// address, count on both; over the limit even the right password gets RATE_LIMITED with
// retryAfterSeconds; a success resets the email's count; registrations per address are limited
// (issue 16's `registrations` limiter, platform/rate-limits.ts).
// Behind a trusted proxy (TRUST_PROXY) the address is the forwarded one.
import { randomUUID } from 'node:crypto';
import { registerPatient, TEST_PASSWORD } from '../helpers/accounts';
import { runRedisPrefix } from '../helpers/test-env';
import { startTestServer, type GqlResponse, type TestServer } from '../helpers/test-server';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()));
});

/** Two instances on this run's database and one Redis, with throttling counters of their own. */
async function twoInstances(env: Record<string, string>): Promise<[TestServer, TestServer]> {
  const shared = { REDIS_PREFIX: `${runRedisPrefix()}throttle-${randomUUID()}:`, TRUST_PROXY: 'loopback', ...env };
  const pair = await Promise.all([startTestServer('services', shared), startTestServer('services', shared)]);
  servers.push(...pair);
  // Issue 16's limiters count in memory until their Redis connection is ready: wait for it (bounded).
  const deadline = Date.now() + 10_000;
  while (pair.some((server) => server.rateLimits.store() !== 'ready')) {
    if (Date.now() > deadline) throw new Error('rate-limit store not ready within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pair;
}

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** Signs in from `address` (as the proxy in front of us reports it). */
async function signIn(
  server: TestServer,
  email: string,
  password: string,
  address = '198.51.100.7',
): Promise<GqlResponse<{ login: { token: string } }>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  const body = (await response.json()) as { data?: { login: { token: string } } | null; errors?: GqlResponse<unknown>['errors'] };
  return { status: response.status, data: body.data, errors: body.errors };
}

const codeOf = (result: GqlResponse<unknown>) => result.errors?.[0]?.extensions?.['code'] ?? 'OK';

it('counts failures for one email on both instances and then refuses even the right password, with retryAfterSeconds', async () => {
  const [a, b] = await twoInstances({ LOGIN_MAX_FAILURES_PER_EMAIL: '4', LOGIN_FAILURE_WINDOW: '15m' });
  const patient = await registerPatient(a);
  for (const server of [a, b, a, b]) expect(codeOf(await signIn(server, patient.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
  const refused = await signIn(b, patient.email, TEST_PASSWORD);
  expect(codeOf(refused)).toBe('RATE_LIMITED');
  const retryAfter = refused.errors?.[0]?.extensions?.['retryAfterSeconds'];
  expect(typeof retryAfter === 'number' && retryAfter > 0 && retryAfter <= 900).toBe(true);
  expect(codeOf(await signIn(a, patient.email.toUpperCase(), TEST_PASSWORD))).toBe('RATE_LIMITED'); // the same email
});

it('resets the email’s count on a successful sign-in', async () => {
  const [a, b] = await twoInstances({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
  const patient = await registerPatient(a);
  for (const server of [a, b]) expect(codeOf(await signIn(server, patient.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD))).toBe('OK');
  for (const server of [a, b, a]) expect(codeOf(await signIn(server, patient.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD))).toBe('RATE_LIMITED');
});

it('counts failures from one client address across emails and instances; another address is not affected', async () => {
  const [a, b] = await twoInstances({ LOGIN_MAX_FAILURES_PER_ADDRESS: '3' });
  const patient = await registerPatient(a);
  for (const server of [a, b, a])
    expect(codeOf(await signIn(server, `nobody-${randomUUID()}@test.careline`, 'wrong password!', '203.0.113.9'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, '203.0.113.9'))).toBe('RATE_LIMITED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, '203.0.113.10'))).toBe('OK');
});

it('counts IPv6 clients by their /64: other addresses of that network share the count, the next /64 does not', async () => {
  const [a, b] = await twoInstances({ LOGIN_MAX_FAILURES_PER_ADDRESS: '3' });
  const patient = await registerPatient(a);
  for (const [server, address] of [
    [a, '2001:db8:1:2::1'],
    [b, '2001:db8:1:2::2'],
    [a, '2001:db8:1:2:aaaa:bbbb:cccc:dddd'],
  ] as const)
    expect(codeOf(await signIn(server, `nobody-${randomUUID()}@test.careline`, 'wrong password!', address))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, '2001:db8:1:2:ffff::9'))).toBe('RATE_LIMITED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, '2001:db8:1:3::1'))).toBe('OK');
});

it('does not lock an account out at an address that signed in to it before, while failures from that address still count', async () => {
  const [a, b] = await twoInstances({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
  const patient = await registerPatient(a);
  const home = '198.51.100.20';
  expect(codeOf(await signIn(a, patient.email, TEST_PASSWORD, home))).toBe('OK'); // the owner's address is now known
  // Someone else guesses from other addresses until the email is locked for them...
  for (const [server, address] of [
    [a, '203.0.113.31'],
    [b, '203.0.113.32'],
    [a, '2001:db8:9::1'],
  ] as const)
    expect(codeOf(await signIn(server, patient.email, 'wrong password!', address))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, '203.0.113.33'))).toBe('RATE_LIMITED');
  // ...but the owner at the known address still signs in.
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, home))).toBe('OK');
  // Failures from the known address itself count, and lock it too.
  for (const server of [a, b, a]) expect(codeOf(await signIn(server, patient.email, 'wrong password!', home))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(b, patient.email, TEST_PASSWORD, home))).toBe('RATE_LIMITED');
});

it('ignores X-Forwarded-For from a proxy it does not trust (TRUST_PROXY unset): the peer address counts', async () => {
  const [a] = await twoInstances({ TRUST_PROXY: 'false', LOGIN_MAX_FAILURES_PER_ADDRESS: '2' });
  const email = () => `nobody-${randomUUID()}@test.careline`;
  expect(codeOf(await signIn(a, email(), 'wrong password!', '192.0.2.1'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(a, email(), 'wrong password!', '192.0.2.2'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(a, email(), 'wrong password!', '192.0.2.3'))).toBe('RATE_LIMITED');
});

it('limits registrations per address, on both instances', async () => {
  const [a, b] = await twoInstances({ RATE_LIMIT_REGISTRATIONS_PER_HOUR: '2' });
  await registerPatient(a);
  await registerPatient(b);
  await expect(registerPatient(a)).rejects.toThrow(/RATE_LIMITED/);
});

it('throttles in memory on one embedded instance too', async () => {
  const server = await startTestServer('embedded', { LOGIN_MAX_FAILURES_PER_EMAIL: '2' });
  servers.push(server);
  const patient = await registerPatient(server);
  for (let i = 0; i < 2; i += 1) expect(codeOf(await signIn(server, patient.email, 'wrong password!'))).toBe('UNAUTHENTICATED');
  expect(codeOf(await signIn(server, patient.email, TEST_PASSWORD))).toBe('RATE_LIMITED');
});
