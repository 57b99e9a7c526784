// "I will come": the patient confirms their own upcoming appointment. confirmedAt is set once, the
// change (CONFIRMED) is live on the desk's, the doctor's and the patient's streams, the practice's
// webhook gets appointment.confirmed, and a second confirmation changes nothing.
import { practiceStream } from '../../src/live/streams';
import { futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { createPractice, joinPractice, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createEndpoint } from '../helpers/webhooks';
import { waitForDoctorSubscribers, waitForPatientSubscribers, waitForSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

const CONFIRM = 'mutation ($id: ID!) { confirmAppointment(id: $id) { id status confirmedAt } }';
const FIELDS = 'change appointment { id status confirmedAt }';
const DESK = `subscription ($practiceId: ID!) { practiceAppointmentUpdated(practiceId: $practiceId) { ${FIELDS} } }`;
const DOCTOR = `subscription ($doctorId: ID!) { appointmentUpdated(doctorId: $doctorId) { ${FIELDS} } }`;
const PATIENT = `subscription { myAppointmentUpdated { ${FIELDS} } }`;

interface Changed {
  readonly change: string;
  readonly appointment: { readonly id: string; readonly status: string; readonly confirmedAt: string | null };
}

let database: OwnDatabase;
let server: TestServer;
let practice: TestPractice;
let staff: TestAccount;
let doctor: TestAccount;
let hooks: WebhookReceiver;
const open: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  database = await createOwnDatabase('careline_test_confirm');
  server = await startTestServer('services', { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: 'true' });
  practice = await createPractice(server);
  staff = await joinPractice(server, practice, 'STAFF');
  doctor = await joinPractice(server, practice, 'DOCTOR');
  hooks = await startWebhookReceiver([200]);
  await createEndpoint(server, practice.admin.token, { practiceId: practice.id, url: hooks.url, events: ['appointment.confirmed'] });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await server?.dispose();
  await database?.drop();
  await hooks?.close();
});

function follow<T>(query: string, variables: Record<string, unknown>, token: string): TestSubscription<T> {
  const subscription = subscribe<T>(server.wsUrl, token, query, variables);
  open.push(subscription);
  return subscription;
}

async function nextChange<T>(subscription: TestSubscription<T>, pick: (data: T) => Changed): Promise<Changed> {
  const result = await subscription.next({ timeoutMs: 10_000 });
  if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
  return pick(result.data);
}

it('confirms once, live on the desk, doctor and patient streams, and webhooks appointment.confirmed', async () => {
  const patient = await registerPatient(server);
  const id = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 20 });
  const desk = follow<{ practiceAppointmentUpdated: Changed }>(DESK, { practiceId: practice.id }, staff.token);
  const doctorFeed = follow<{ appointmentUpdated: Changed }>(DOCTOR, { doctorId: doctor.id }, doctor.token);
  const patientFeed = follow<{ myAppointmentUpdated: Changed }>(PATIENT, {}, patient.token);
  await Promise.all([
    waitForSubscribers(server, practiceStream(practice.id)),
    waitForDoctorSubscribers(server, doctor.id),
    waitForPatientSubscribers(server, patient.id),
  ]);

  const first = await server.gql<{ confirmAppointment: Changed['appointment'] }>(CONFIRM, { id }, patient.token);
  expect(first.errors).toBeUndefined();
  const confirmedAt = first.data?.confirmAppointment.confirmedAt;
  expect(first.data?.confirmAppointment).toMatchObject({ id, status: 'BOOKED', confirmedAt: expect.any(String) });

  const expected = { change: 'CONFIRMED', appointment: { id, status: 'BOOKED', confirmedAt } };
  expect(await nextChange(desk, (data) => data.practiceAppointmentUpdated)).toEqual(expected);
  expect(await nextChange(doctorFeed, (data) => data.appointmentUpdated)).toEqual(expected);
  expect(await nextChange(patientFeed, (data) => data.myAppointmentUpdated)).toEqual(expected);

  const [hook] = await hooks.waitForRequests(1);
  const body = JSON.parse(hook!.rawBody) as { type: string; data: { appointment: { id: string; confirmedAt: string } } };
  expect(body.type).toBe('appointment.confirmed');
  expect(body.data.appointment).toMatchObject({ id, confirmedAt });

  // Again: the same time, and no second event on any stream.
  const again = await server.gql<{ confirmAppointment: Changed['appointment'] }>(CONFIRM, { id }, patient.token);
  expect(again.data?.confirmAppointment.confirmedAt).toBe(confirmedAt);
  await expect(patientFeed.next({ timeoutMs: 1_000 })).rejects.toThrow();
  expect(hooks.requests).toHaveLength(1);
});

it('lets only the patient confirm (FORBIDDEN for the doctor and the desk), and not a cancelled appointment', async () => {
  const patient = await registerPatient(server);
  const id = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 20 });
  for (const other of [doctor, staff, await registerPatient(server)]) {
    const refused = await server.gql(CONFIRM, { id }, other.token);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  }
  await server.gql('mutation ($id: ID!) { cancelAppointment(id: $id) { id } }', { id }, patient.token);
  const cancelled = await server.gql(CONFIRM, { id }, patient.token);
  expect(cancelled.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  const row = await server.database.prisma.appointment.findUniqueOrThrow({ where: { id } });
  expect(row.confirmedAt).toBeNull();
});
