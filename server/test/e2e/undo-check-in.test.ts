// Undoing a check-in (a wrong card clicked at the desk): within 5 minutes of it by the server's
// clock the appointment is BOOKED again, its arrival time cleared, and every stream that shows it
// (the practice's, the doctor's, the patient's) gets the change, so every board moves it back.
import { practiceStream } from '../../src/live/streams';
import { futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { APPOINTMENT_UPDATED, MY_APPOINTMENT_UPDATED } from '../helpers/clinic';
import { createPractice, joinPractice, moveToEarlierToday, PRACTICE_APPOINTMENT_UPDATED, type TestPractice } from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitForPatientSubscribers, waitForSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

const CHECK_IN = 'mutation ($id: ID!) { checkInAppointment(id: $id) { id status checkedInAt } }';
const UNDO = 'mutation ($id: ID!) { undoCheckIn(id: $id) { id status checkedInAt } }';
const MINUTE = 60_000;

interface Changed {
  readonly change: string;
  readonly appointment: { readonly id: string; readonly status: string };
}

let server: TestServer;
let practice: TestPractice;
let staff: TestAccount;
let doctor: TestAccount;
/** The server's clock runs this far ahead of the real one (the undo window is read from it). */
let ahead = 0;
const open: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  server = await startTestServer('services', {}, { clock: () => new Date(Date.now() + ahead) });
  practice = await createPractice(server);
  staff = await joinPractice(server, practice, 'STAFF');
  doctor = await joinPractice(server, practice, 'DOCTOR');
});
afterEach(async () => {
  ahead = 0;
  await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await server?.dispose();
});

async function bookedToday(patient: TestAccount): Promise<string> {
  // The patient books (staff may book only patients already of the practice).
  const id = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
  await moveToEarlierToday(server, id);
  return id;
}

function follow<T>(query: string, variables: Record<string, unknown>, token: string): TestSubscription<T> {
  const subscription = subscribe<T>(server.wsUrl, token, query, variables);
  open.push(subscription);
  return subscription;
}

async function changes<T>(subscription: TestSubscription<T>, count: number, pick: (data: T) => Changed): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const result = await subscription.next({ timeoutMs: 10_000 });
    if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
    const { change, appointment } = pick(result.data);
    seen.push(`${change} ${appointment.status}`);
  }
  return seen;
}

it('undoes a check-in within 5 minutes: BOOKED again, arrival cleared, live on the desk, doctor and patient streams', async () => {
  const patient = await registerPatient(server);
  const id = await bookedToday(patient);
  const desk = follow<{ practiceAppointmentUpdated: Changed }>(PRACTICE_APPOINTMENT_UPDATED, { practiceId: practice.id }, staff.token);
  const doctorFeed = follow<{ appointmentUpdated: Changed }>(APPOINTMENT_UPDATED, { doctorId: doctor.id }, doctor.token);
  const patientFeed = follow<{ myAppointmentUpdated: Changed }>(MY_APPOINTMENT_UPDATED, {}, patient.token);
  await Promise.all([
    waitForSubscribers(server, practiceStream(practice.id)),
    waitForDoctorSubscribers(server, doctor.id),
    waitForPatientSubscribers(server, patient.id),
  ]);

  const checkedIn = await server.gql<{ checkInAppointment: { status: string; checkedInAt: string | null } }>(CHECK_IN, { id }, staff.token);
  expect(checkedIn.data?.checkInAppointment.status).toBe('CHECKED_IN');
  expect(checkedIn.data?.checkInAppointment.checkedInAt).toEqual(expect.any(String));
  ahead = 4 * MINUTE;
  const undone = await server.gql<{ undoCheckIn: { status: string; checkedInAt: string | null } }>(UNDO, { id }, doctor.token);
  expect(undone.errors).toBeUndefined();
  expect(undone.data?.undoCheckIn).toMatchObject({ status: 'BOOKED', checkedInAt: null });

  const expected = ['CHECKED_IN CHECKED_IN', 'CHECK_IN_UNDONE BOOKED'];
  expect(await changes(desk, 2, (data) => data.practiceAppointmentUpdated)).toEqual(expected);
  expect(await changes(doctorFeed, 2, (data) => data.appointmentUpdated)).toEqual(expected);
  expect(await changes(patientFeed, 2, (data) => data.myAppointmentUpdated)).toEqual(expected);
  const row = await server.database.prisma.appointment.findUniqueOrThrow({ where: { id } });
  expect([row.status, row.checkedInAt]).toEqual(['BOOKED', null]);
});

it('refuses an undo after the window with BAD_USER_INPUT naming it, and from the patient with FORBIDDEN', async () => {
  const patient = await registerPatient(server);
  const id = await bookedToday(patient);
  await server.gql(CHECK_IN, { id }, staff.token);

  const byPatient = await server.gql(UNDO, { id }, patient.token);
  expect(byPatient.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  ahead = 5 * MINUTE + 30_000;
  const late = await server.gql(UNDO, { id }, staff.token);
  expect(late.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  expect(late.errors?.[0]?.message).toMatch(/within 5 minutes/);
  const row = await server.database.prisma.appointment.findUniqueOrThrow({ where: { id } });
  expect(row.status).toBe('CHECKED_IN');

  // Nothing to undo on a booked appointment either.
  const other = await bookedToday(await registerPatient(server));
  const notCheckedIn = await server.gql(UNDO, { id: other }, staff.token);
  expect(notCheckedIn.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
});
