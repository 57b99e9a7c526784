// Fair use (issue 24, item 6): availableSlots is costed by the slots it can return and bounded by
// SLOTS_MAX_RESULTS; the socket's queries and mutations pass the same admission as HTTP; one
// account runs at most ACCOUNT_MAX_CONCURRENT_OPERATIONS at once over both transports, so a
// flooding account leaves the others served. Latencies are printed, never asserted.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { allowBookingWithoutHours, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { leftover } from '../helpers/leftovers';
import { openSocket, type TestSocket } from '../helpers/socket-operations';
import { postGraphQL, startTestServer, type TestServer } from '../helpers/test-server';
import { waitUntil } from '../helpers/wait-for';

const DAY_MS = 86_400_000;
const SLOTS =
  'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $m: Int) { availableSlots(doctorId: $d, from: $from, to: $to, durationMinutes: $m) }';

/** The issue's attack: `count` aliases of 31 days of 5-minute slots (8,928 slots each). */
function aliasAttack(doctorId: string, count: number): string {
  // One now for both ends: two readings a millisecond apart make a range one slot longer.
  const now = Date.now();
  const from = new Date(now + DAY_MS).toISOString();
  const to = new Date(now + 32 * DAY_MS).toISOString();
  const fields = Array.from(
    { length: count },
    (_, i) => `s${i}: availableSlots(doctorId: "${doctorId}", from: "${from}", to: "${to}", durationMinutes: 5)`,
  );
  return `query { ${fields.join(' ')} }`;
}

/**
 * An HTTP request to /graphql whose body never ends: it holds its admission place (and its
 * account's, with a token) until `end()` destroys it. Admission comes before the body is read.
 */
function heldRequest(url: string, token?: string): { readonly request: ClientRequest; end(): void } {
  const request = httpRequest(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '1000', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  request.on('error', () => undefined); // destroyed on purpose
  request.write('{"query":');
  const end = () => {
    request.destroy();
  };
  leftover(async () => end());
  return { request, end };
}

const sockets: TestSocket[] = [];
const socket = (server: TestServer, token: string) => {
  const opened = openSocket(server.wsUrl, token);
  sockets.push(opened);
  return opened;
};
afterEach(async () => {
  for (const opened of sockets.splice(0)) await opened.dispose();
});

describe('availableSlots is costed by the slots it can return', () => {
  let server: TestServer;
  let doctor: TestAccount;
  let patient: TestAccount;
  beforeAll(async () => {
    server = await startTestServer('services');
    doctor = await registerDoctor(server);
    await allowBookingWithoutHours(server, doctor);
    patient = await registerPatient(server);
  });

  it('refuses 10 aliases of 31 days of 5-minute slots before execution with BAD_USER_INPUT, over HTTP and the socket', async () => {
    const attack = aliasAttack(doctor.id, 10);
    const overHttp = await server.gql(attack, {}, patient.token);
    expect(overHttp.data).toBeUndefined();
    expect(overHttp.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(overHttp.errors?.[0]?.message).toMatch(/Slot limit of 2000 exceeded: .* could return 89280 slots/);

    const overSocket = await socket(server, patient.token).run(attack);
    expect(overSocket.results).toEqual([]);
    expect(overSocket.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('adds the slots of every alias: two days of 5-minute slots pass alone, four aliases of them do not', async () => {
    // One reading of the clock: two would make the range a millisecond longer now and then, and
    // its slots, rounded up, 577.
    const now = Date.now();
    const from = new Date(now + DAY_MS).toISOString();
    const to = new Date(now + 3 * DAY_MS).toISOString(); // 576 slots
    const one = await server.gql<{ availableSlots: string[] }>(SLOTS, { d: doctor.id, from, to, m: 5 }, patient.token);
    expect(one.errors).toBeUndefined();
    expect(one.data?.availableSlots.length).toBeGreaterThan(0);

    const four = `query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { ${[0, 1, 2, 3]
      .map((i) => `a${i}: availableSlots(doctorId: $d, from: $from, to: $to, durationMinutes: 5)`)
      .join(' ')} }`;
    const refused = await server.gql(four, { d: doctor.id, from, to }, patient.token);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/could return 2304 slots/);
  });
});

describe('socket operations pass the same admission as HTTP', () => {
  let server: TestServer;
  let patient: TestAccount;
  beforeAll(async () => {
    server = await startTestServer('services', { HTTP_MAX_IN_FLIGHT: '1', HTTP_MAX_QUEUED: '0' });
    patient = await registerPatient(server);
  });

  it('refuses a socket query with RATE_LIMITED while admission is full, and runs it once a place is free', async () => {
    const live = socket(server, patient.token);
    expect((await live.run('{ me { id } }')).errors).toBeUndefined();

    const held = heldRequest(server.url); // signed out: admission only
    await waitUntil('the held request to take the only place', async () => server.admission.load.inFlight === 1);
    const refused = await live.run('{ me { id } }');
    expect(refused.results).toEqual([]);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });

    held.end();
    await waitUntil('the place to be free', async () => server.admission.load.inFlight === 0);
    const admitted = await live.run('{ me { id } }');
    expect(admitted.errors).toBeUndefined();
    expect(admitted.results[0]?.data).toEqual({ me: { id: patient.id } });
  });
});

describe('each account has a cap on its concurrent operations', () => {
  const CAP = 2;
  let server: TestServer;
  let flooder: TestAccount;
  let probe: TestAccount;
  let doctor: TestAccount;
  beforeAll(async () => {
    server = await startTestServer('services', { ACCOUNT_MAX_CONCURRENT_OPERATIONS: String(CAP) });
    [flooder, probe, doctor] = [await registerPatient(server), await registerPatient(server), await registerDoctor(server)];
  });

  it('refuses the account one more operation over HTTP (429) and the socket (RATE_LIMITED) while others are served', async () => {
    const held = [heldRequest(server.url, flooder.token), heldRequest(server.url, flooder.token)];
    await waitUntil('both held requests to run', async () => server.accountConcurrency.runningFor(flooder.id) === CAP);

    const overHttp = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${flooder.token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(overHttp.status).toBe(429);
    expect(overHttp.headers.get('retry-after')).toBe('1');
    const body = (await overHttp.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });

    const overSocket = await socket(server, flooder.token).run('{ me { id } }');
    expect(overSocket.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });

    // Another account is not touched.
    expect((await server.gql('{ me { id } }', {}, probe.token)).errors).toBeUndefined();

    for (const request of held) request.end();
    await waitUntil('the held requests to end', async () => server.accountConcurrency.runningFor(flooder.id) === 0);
    expect((await server.gql('{ me { id } }', {}, flooder.token)).errors).toBeUndefined();
  });

  it('keeps serving a probe user while one account floods over HTTP and the socket (loopback, bounded)', async () => {
    const from = new Date(Date.now() + DAY_MS).toISOString();
    const to = new Date(Date.now() + 8 * DAY_MS).toISOString();
    const refusedBefore = server.accountConcurrency.refused;
    const flood = { ok: 0, rateLimited: 0, other: 0 };
    const count = (errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined) => {
      const code = errors?.[0]?.extensions?.['code'];
      if (code === undefined) flood.ok += 1;
      else if (code === 'RATE_LIMITED') flood.rateLimited += 1;
      else flood.other += 1;
    };
    let flooding = true;
    const variables = { d: doctor.id, from, to, m: 15 };
    // 24 HTTP loops and 4 sockets' loops of the same account, each a bounded number of rounds.
    const httpLoops = Array.from({ length: 24 }, async () => {
      for (let round = 0; round < 40 && flooding; round += 1)
        count((await postGraphQL(server.url, SLOTS, variables, flooder.token)).errors);
    });
    const socketLoops = Array.from({ length: 4 }, async () => {
      const live = socket(server, flooder.token);
      for (let round = 0; round < 40 && flooding; round += 1) count((await live.run(SLOTS, variables)).errors);
    });

    const probeMs: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const startedAt = performance.now();
      const answer = await server.gql<{ me: { id: string } }>('{ me { id } }', {}, probe.token);
      probeMs.push(performance.now() - startedAt);
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.me.id).toBe(probe.id);
    }
    flooding = false;
    await Promise.all([...httpLoops, ...socketLoops]);

    expect(flood.other).toBe(0);
    expect(flood.rateLimited).toBeGreaterThan(0);
    expect(server.accountConcurrency.refused - refusedBefore).toBe(flood.rateLimited);
    // Never more than its cap at once (the probe runs one at a time).
    expect(server.accountConcurrency.highWater).toBeLessThanOrEqual(CAP);
    probeMs.sort((a, b) => a - b);
    console.log(
      `fair use: probe me median ${probeMs[10]!.toFixed(1)} ms, max ${probeMs[19]!.toFixed(1)} ms; flooder ${flood.ok} served, ${flood.rateLimited} refused`,
    );
  });
});
