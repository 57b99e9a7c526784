// The authorization matrix of shared/API.md: anonymous, the patient, another doctor and the doctor
// itself against every operation, each asserting the exact outcome.
import { book, futureSlot, registerDoctor, registerPatient, TEST_PASSWORD, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

type Actor = 'anonymous' | 'patient' | 'otherDoctor' | 'doctor';
type Outcome = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN';

let server: TestServer;
let accounts: Record<Exclude<Actor, 'anonymous'>, TestAccount>;
const tokenOf = (actor: Actor) => (actor === 'anonymous' ? undefined : accounts[actor].token);

beforeAll(async () => {
  server = await startTestServer('services');
  accounts = {
    patient: await registerPatient(server),
    otherDoctor: await registerDoctor(server),
    doctor: await registerDoctor(server),
  };
});
afterAll(async () => {
  await server.dispose();
});

async function outcome(query: string, variables: Record<string, unknown>, actor: Actor): Promise<Outcome | string> {
  const result = await server.gql(query, variables, tokenOf(actor));
  if (!result.errors) return 'OK';
  return String(result.errors[0]!.extensions?.['code']);
}

const matrix: Array<[string, () => [string, Record<string, unknown>], Record<Actor, Outcome>]> = [
  ['me', () => ['{ me { id role } }', {}], { anonymous: 'UNAUTHENTICATED', patient: 'OK', otherDoctor: 'OK', doctor: 'OK' }],
  ['doctors', () => ['{ doctors { id name } }', {}], { anonymous: 'UNAUTHENTICATED', patient: 'OK', otherDoctor: 'OK', doctor: 'OK' }],
  [
    'doctorPatients',
    () => ['query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }', { d: accounts.doctor.id }],
    { anonymous: 'UNAUTHENTICATED', patient: 'FORBIDDEN', otherDoctor: 'FORBIDDEN', doctor: 'OK' },
  ],
  [
    'bookAppointment',
    () => [
      'mutation ($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }',
      { i: { doctorId: accounts.doctor.id, startsAt: futureSlot().toISOString() } },
    ],
    { anonymous: 'UNAUTHENTICATED', patient: 'OK', otherDoctor: 'FORBIDDEN', doctor: 'FORBIDDEN' },
  ],
  [
    'login',
    () => [
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: accounts.patient.email, p: TEST_PASSWORD },
    ],
    { anonymous: 'OK', patient: 'OK', otherDoctor: 'OK', doctor: 'OK' },
  ],
];

describe.each(matrix)('%s', (_operation, request, expected) => {
  it.each(Object.entries(expected) as Array<[Actor, Outcome]>)('as %s gives %s', async (actor, want) => {
    const [query, variables] = request();
    expect(await outcome(query, variables, actor)).toBe(want);
  });
});

describe('register', () => {
  it.each<Actor>(['anonymous', 'patient', 'doctor'])('is open to %s', async (actor) => {
    const result = await server.gql(
      'mutation ($i: RegisterInput!) { register(input: $i) { user { role } } }',
      { i: { email: `new-${actor}-${Date.now()}@test.careline`, password: TEST_PASSWORD, name: 'New', role: 'PATIENT' } },
      tokenOf(actor),
    );
    expect(result.errors).toBeUndefined();
  });
});

describe('patientAdded over WebSocket', () => {
  const PATIENT_ADDED = 'subscription ($d: ID!) { patientAdded(doctorId: $d) { cursor } }';

  it('closes a socket without a token with 4401', async () => {
    const subscription = subscribe(server.wsUrl, undefined, PATIENT_ADDED, { d: accounts.doctor.id });
    expect((await subscription.closed).code).toBe(4401);
  });

  it('closes a socket with an invalid token with 4401', async () => {
    const subscription = subscribe(server.wsUrl, 'not-a-token', PATIENT_ADDED, { d: accounts.doctor.id });
    expect((await subscription.closed).code).toBe(4401);
  });

  it.each<Actor>(['patient', 'otherDoctor'])('answers %s with FORBIDDEN on that subscription', async (actor) => {
    const subscription = subscribe(server.wsUrl, tokenOf(actor), PATIENT_ADDED, { d: accounts.doctor.id });
    const result = await subscription.next();
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(result.data ?? null).toBeNull();
  });

  it('lets the doctor subscribe to their own patients, and delivers only their events', async () => {
    const mine = subscribe<{ patientAdded: { cursor: string } }>(server.wsUrl, accounts.doctor.token, PATIENT_ADDED, {
      d: accounts.doctor.id,
    });
    const theirs = subscribe(server.wsUrl, accounts.otherDoctor.token, PATIENT_ADDED, { d: accounts.otherDoctor.id });
    await waitForDoctorSubscribers(server, accounts.doctor.id);
    await waitForDoctorSubscribers(server, accounts.otherDoctor.id);
    await book(server, accounts.patient, { doctorId: accounts.doctor.id, startsAt: futureSlot() });
    expect((await mine.next()).data?.patientAdded.cursor).toEqual(expect.any(String));
    // A marker event for the other doctor: it must be the first thing their socket receives.
    const otherPatient = await registerPatient(server);
    const marker = await book(server, otherPatient, { doctorId: accounts.otherDoctor.id, startsAt: futureSlot() });
    const received = (await theirs.next()) as { data?: { patientAdded: unknown } };
    expect(received.data?.patientAdded).toBeDefined();
    expect(marker.errors).toBeUndefined();
    expect(theirs.pending).toBe(0);
  });
});
