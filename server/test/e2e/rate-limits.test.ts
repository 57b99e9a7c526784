// Rate limits of issue 16 across a deployment: two instances on one Redis share each budget, a
// refusal is RATE_LIMITED with retryAfterSeconds and writes nothing; a socket flooding operations
// is slowed, not closed.
import { randomUUID } from 'node:crypto';
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { scrape } from '../helpers/prometheus';
import { openSocket, type TestSocket } from '../helpers/socket-operations';
import { runRedisPrefix } from '../helpers/test-env';
import { startTestServer, type TestServer } from '../helpers/test-server';

const servers: TestServer[] = [];
const sockets: TestSocket[] = [];
afterAll(async () => {
  for (const socket of sockets.splice(0)) await socket.dispose();
  for (const server of servers.splice(0)) await server.dispose();
});

describe('two instances on one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let doctor: TestAccount;
  beforeAll(async () => {
    // Their own Redis prefix: the per-address budget of 127.0.0.1 is theirs alone in this run.
    const env = {
      REDIS_PREFIX: `${runRedisPrefix()}limits-${randomUUID().slice(0, 8)}:`,
      RATE_LIMIT_BOOKINGS_PER_MINUTE: '3',
      RATE_LIMIT_REGISTRATIONS_PER_HOUR: '4',
    };
    a = await startTestServer('services', env);
    b = await startTestServer('services', env);
    servers.push(a, b);
    doctor = await registerDoctor(a); // registrations 1 of 4
  });

  it('shares a patient’s booking budget: the fourth booking in a minute, on either instance, is RATE_LIMITED and writes nothing', async () => {
    const patient = await registerPatient(b); // registrations 2 of 4
    const slot = slotSeries();
    for (const [index, server] of [a, b, a].entries()) {
      expect((await book(server, patient, { doctorId: doctor.id, startsAt: slot(index) })).errors).toBeUndefined();
    }
    const refused = await book(b, patient, { doctorId: doctor.id, startsAt: slot(3) });
    expect(refused.data).toBeUndefined(); // refused before execution
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.['retryAfterSeconds']).toEqual(expect.any(Number));
    const retryAfter = Number(refused.errors?.[0]?.extensions?.['retryAfterSeconds']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.errors?.[0]?.message).toMatch(/at most 3 bookings per minute/);
    expect(await a.database.prisma.appointment.count({ where: { patientId: (await patientIdOf(a, patient)) ?? '' } })).toBe(3);
    expect((await scrape(b.url)).get('careline_rate_limit_refusals_total{limiter="bookings"}')).toBe(1);
  });

  it('counts aliases: one request booking three times spends three', async () => {
    const patient = await registerPatient(a); // registrations 3 of 4
    const slot = slotSeries();
    const aliased = `mutation ($a: BookAppointmentInput!, $b: BookAppointmentInput!) { x: bookAppointment(input: $a) { id } y: bookAppointment(input: $b) { id } }`;
    const first = await a.gql(
      aliased,
      { a: { doctorId: doctor.id, startsAt: slot(0) }, b: { doctorId: doctor.id, startsAt: slot(1) } },
      patient.token,
    );
    expect(first.errors).toBeUndefined();
    const second = await b.gql(
      aliased,
      { a: { doctorId: doctor.id, startsAt: slot(2) }, b: { doctorId: doctor.id, startsAt: slot(3) } },
      patient.token,
    );
    expect(second.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(second.data).toBeUndefined();
  });

  it('limits registrations per client address across both instances', async () => {
    await registerPatient(b); // registrations 4 of 4
    const refused = await a.gql('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
      i: { email: `late-${randomUUID().slice(0, 8)}@test.careline`, password: 'correct horse battery', name: 'Late', role: 'PATIENT' },
    });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.['retryAfterSeconds']).toBeGreaterThan(60);
  });
});

describe('operations per socket', () => {
  it('answers operations beyond the per-second budget with RATE_LIMITED and keeps the socket open', async () => {
    const server = await startTestServer('embedded', { RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND: '5' });
    servers.push(server);
    const doctor = await registerDoctor(server);
    const socket = openSocket(server.wsUrl, doctor.token);
    sockets.push(socket);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => socket.run('query { me { id } }')));
    const codes = outcomes.map((outcome) => (outcome.errors ? String(outcome.errors[0]?.extensions?.['code']) : 'OK'));
    expect(codes.filter((code) => code === 'OK').length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(15);
    const retryAfterSeconds = Number(outcomes.find((outcome) => outcome.errors)?.errors?.[0]?.extensions?.['retryAfterSeconds']);
    expect(retryAfterSeconds).toBe(1);
    // As a client should: wait what the server said, then go on over the same socket.
    await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000 + 100));
    const later = await socket.run('query { me { id } }');
    expect(later.results[0]?.data).toEqual({ me: { id: doctor.id } });
  });
});

async function patientIdOf(server: TestServer, account: TestAccount): Promise<string | undefined> {
  const me = await server.gql<{ me: { patient: { id: string } | null } }>('{ me { patient { id } } }', {}, account.token);
  return me.data?.me.patient?.id;
}
