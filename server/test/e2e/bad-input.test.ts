// Bad input never reaches the database: each case gets a clear GraphQL error with a stable code,
// and afterwards nothing at all was written.
import { book, futureSlot, registerDoctor, registerPatient, TEST_PASSWORD, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
let doctor: TestAccount;
let patient: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services');
  doctor = await registerDoctor(server);
  patient = await registerPatient(server);
});
afterAll(async () => {
  await server.dispose();
});

async function rawPost(body: string, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  };
}

const BOOK_QUERY = 'mutation ($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }';

describe('booking with bad input', () => {
  it('answers malformed JSON with HTTP 400 and BAD_USER_INPUT', async () => {
    const { status, body } = await rawPost('{"query": "mutation {', patient.token);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('answers a body over 1 MB (a 1 MB reason) with HTTP 413 and BAD_USER_INPUT', async () => {
    const body = JSON.stringify({
      query: BOOK_QUERY,
      variables: { i: { doctorId: doctor.id, startsAt: futureSlot(), reason: 'x'.repeat(1024 * 1024) } },
    });
    const response = await rawPost(body, patient.token);
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an unknown input field', { color: 'red' }, undefined],
    ['a duration of the wrong type', { durationMinutes: 'thirty' }, undefined],
    ['a start that is not a date', { startsAt: 'next tuesday' }, undefined],
    ['a start in the past', { startsAt: new Date(Date.now() - 3_600_000).toISOString() }, 'startsAt'],
    ['a zero duration', { durationMinutes: 0 }, 'durationMinutes'],
    ['a negative duration', { durationMinutes: -30 }, 'durationMinutes'],
    ['a week-long duration', { durationMinutes: 10080 }, 'durationMinutes'],
    ['a duration beyond 32 bits', { durationMinutes: 2 ** 40 }, undefined],
    ['a 10 kB reason', { reason: 'x'.repeat(10_000) }, 'reason'],
  ])('rejects %s with BAD_USER_INPUT', async (_name, override, field) => {
    const result = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString(), ...override });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBeTruthy();
    if (field) expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
  });

  it.each([
    ['a doctor id that is not an id', 'doctor-1'],
    ['an unknown doctor', '00000000-0000-4000-8000-000000000000'],
    ['a patient id instead of a doctor id', () => patient.id],
  ])('answers %s with NOT_FOUND', async (_name, doctorId) => {
    const id = typeof doctorId === 'function' ? doctorId() : doctorId;
    const result = await book(server, patient, { doctorId: id, startsAt: futureSlot().toISOString() });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('rejects page sizes outside 1 to 100 and a forged list cursor', async () => {
    const query = 'query ($d: ID!, $f: Int, $a: String) { doctorPatients(doctorId: $d, first: $f, after: $a) { totalCount } }';
    for (const variables of [{ f: 0 }, { f: 101 }, { f: -1 }, { a: 'forged' }]) {
      const result = await server.gql(query, { d: doctor.id, ...variables }, doctor.token);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });

  it('wrote nothing for any of the rejected bookings', async () => {
    const mine = await server.gql<{ me: { patient: { appointments: unknown[] } } }>(
      '{ me { patient { appointments { id } } } }',
      {},
      patient.token,
    );
    expect(mine.data?.me.patient.appointments).toEqual([]);
    const list = await server.gql<{ doctorPatients: { totalCount: number } }>(
      'query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }',
      { d: doctor.id },
      doctor.token,
    );
    expect(list.data?.doctorPatients.totalCount).toBe(0);
  });
});

describe('accounts', () => {
  const REGISTER = 'mutation ($i: RegisterInput!) { register(input: $i) { token } }';
  const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

  it('refuses a second account for the same email, whatever its letter case, with CONFLICT', async () => {
    const result = await server.gql(REGISTER, {
      i: { email: `  ${patient.email.toUpperCase()} `, password: TEST_PASSWORD, name: 'Twin', role: 'PATIENT' },
    });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
  });

  // The one password rule (accounts/password-rule.ts), end to end: each refusal names its reason.
  it.each([
    ['short', /at least 12 characters/],
    ['            ', /must not be blank/],
    ['Password123!', /most common passwords/],
    ['aaaaaaaaaaaa', /repetition/],
    ['1234567890ab', /sequence/],
  ])('refuses the password %j at registration with BAD_USER_INPUT naming the reason', async (password, reason) => {
    const result = await server.gql(REGISTER, {
      i: { email: `weak-${Date.now()}@test.careline`, password, name: 'S', role: 'PATIENT' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(result.errors?.[0]?.message).toMatch(reason);
  });

  it("refuses a password containing the email's name, and a new password that breaks the rule", async () => {
    const email = `marigold-${Date.now()}@test.careline`;
    const mine = await server.gql(REGISTER, { i: { email, password: `${email.split('@')[0]} rocks`, name: 'M', role: 'PATIENT' } });
    expect(mine.errors?.[0]?.message).toMatch(/email address's name/);
    const registered = await server.gql<{ register: { token: string } }>(REGISTER, {
      i: { email, password: 'correct horse battery staple', name: 'Marigold Quince', role: 'PATIENT' },
    });
    expect(registered.errors).toBeUndefined();
    const changed = await server.gql(
      'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
      { c: 'correct horse battery staple', n: 'quince for breakfast' },
      registered.data!.register.token,
    );
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(changed.errors?.[0]?.message).toMatch(/your name/);
  });

  it('rejects a role that does not exist', async () => {
    const result = await server.gql(REGISTER, {
      i: { email: `admin-${Date.now()}@test.careline`, password: TEST_PASSWORD, name: 'A', role: 'ADMIN' },
    });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('gives a wrong password and an unknown email the same UNAUTHENTICATED answer', async () => {
    const wrongPassword = await server.gql(LOGIN, { e: patient.email, p: 'wrong password!' });
    const unknownEmail = await server.gql(LOGIN, { e: `nobody-${Date.now()}@test.careline`, p: TEST_PASSWORD });
    expect(wrongPassword.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(unknownEmail.errors?.[0]).toEqual(wrongPassword.errors?.[0]);
  });
});

describe('in production', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer('services', { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await production.dispose();
  });

  it('sends no stack trace with any error', async () => {
    const results = await Promise.all([
      production.gql('{ me { id } }'),
      production.gql('{ nope }'),
      production.gql(BOOK_QUERY, { i: { doctorId: 'x', startsAt: 'y' } }, patient.token),
    ]);
    for (const result of results) {
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
    }
  });
});

describe('input ranges (issue 16)', () => {
  const SCHEDULE = 'query ($d: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $f, to: $t) { id } }';

  it.each([
    ['year 0000 in doctorSchedule', '0000-01-01T00:00:00Z'],
    ['year 1899', '1899-12-31T23:59:59Z'],
    ['year 2201', '2201-01-01T00:00:00Z'],
  ])('refuses %s with BAD_USER_INPUT naming the variable, never a 500', async (_name, from) => {
    // A valid end, a day from now: only the start is out of range.
    const result = await server.gql(SCHEDULE, { d: doctor.id, f: from, t: new Date(Date.now() + 86_400_000).toISOString() }, doctor.token);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/"\$f".*between 1900 and 2200/);
    expect(result.data).toBeUndefined();
  });

  it('refuses year 0000 written in the query itself, and inside an input object', async () => {
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const literal = await server.gql(
      `{ doctorSchedule(doctorId: "${doctor.id}", from: "0000-01-01T00:00:00Z", to: "${to}") { id } }`,
      {},
      doctor.token,
    );
    expect(literal.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(literal.errors?.[0]?.message).toMatch(/between 1900 and 2200/);
    const nested = await book(server, patient, { doctorId: doctor.id, startsAt: '0000-06-01T10:00:00Z' });
    expect(nested.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(nested.errors?.[0]?.message).toMatch(/input\.startsAt/);
  });

  it('refuses a day off in year 0000 naming the field', async () => {
    const result = await server.gql(
      'mutation ($d: ID!) { addDayOff(doctorId: $d, date: "0000-01-01") { daysOff } }',
      { d: doctor.id },
      doctor.token,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
  });

  it.each([
    [
      'a 25,000-character name at registration',
      'mutation ($i: RegisterInput!) { register(input: $i) { token } }',
      { i: { email: 'long@test.careline', password: TEST_PASSWORD, name: 'x'.repeat(25_000), role: 'PATIENT' } },
      /\$i\.name/,
    ],
    [
      'a 300-character password at sign-in',
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: 'x@test.careline', p: 'x'.repeat(300) },
      /password|UNAUTHENTICATED/,
    ],
    [
      'a NUL character in an email',
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: 'a\u0000@b.c', p: TEST_PASSWORD },
      /U\+0000/,
    ],
  ])('refuses %s with a public code and a message naming it', async (_name, query, variables, message) => {
    const result = await server.gql(query, variables);
    expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(result.errors?.[0]?.extensions?.['code']);
    expect(`${result.errors?.[0]?.message} ${String(result.errors?.[0]?.extensions?.['code'])}`).toMatch(message);
  });
});
