// Who may do what, for every operation the clinic issue added: anonymous, the patient, another
// patient, another doctor and the patient's doctor, each with the exact code they get ("OK" when
// allowed; "LIVE" when a subscription is accepted; 4401 when an anonymous socket is closed).
import { doctorStream, patientStream } from '../../src/live/streams';
import { book, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { daysFromNow, isoDate } from '../helpers/calendar';
import {
  ADD_DAY_OFF,
  ADD_RECORD,
  APPOINTMENT_UPDATED,
  AVAILABILITY,
  CANCEL,
  COMPLETE,
  makeItStarted,
  MY_APPOINTMENT_UPDATED,
  MY_VITALS_RECORDED,
  PATIENT_RECORDS,
  PATIENT_VITALS,
  RECORD_VITALS,
  REMOVE_DAY_OFF,
  RESCHEDULE,
  SET_HOURS,
  SLOTS,
  VITALS_RECORDED,
} from '../helpers/clinic';
import { startTestServer, type GqlResponse, type TestServer } from '../helpers/test-server';
import { waitForSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

type Who = 'anonymous' | 'patient' | 'otherPatient' | 'otherDoctor' | 'doctor';
const EVERYONE: readonly Who[] = ['anonymous', 'patient', 'otherPatient', 'otherDoctor', 'doctor'];
type Expected = Readonly<Record<Who, string>>;

const onlyTheDoctor: Expected = { anonymous: 'UNAUTHENTICATED', patient: 'FORBIDDEN', otherPatient: 'FORBIDDEN', otherDoctor: 'FORBIDDEN', doctor: 'OK' };
const partiesOnly: Expected = { anonymous: 'UNAUTHENTICATED', patient: 'OK', otherPatient: 'FORBIDDEN', otherDoctor: 'FORBIDDEN', doctor: 'OK' };
const anySignedIn: Expected = { anonymous: 'UNAUTHENTICATED', patient: 'OK', otherPatient: 'OK', otherDoctor: 'OK', doctor: 'OK' };

let server: TestServer;
const DAY_OFF = isoDate(daysFromNow(30));
let accounts: Record<Exclude<Who, 'anonymous'>, TestAccount>;

/** A fresh BOOKED appointment of the patient with the doctor, so each cell starts from the same state. */
async function freshAppointment(): Promise<string> {
  const result = await book(server, accounts.patient, { doctorId: accounts.doctor.id, startsAt: futureSlot() });
  if (!result.data) throw new Error(`booking failed: ${JSON.stringify(result.errors)}`);
  return result.data.bookAppointment.id;
}

interface Operation {
  readonly expected: Expected;
  readonly run: (token: string | undefined) => Promise<GqlResponse<unknown>>;
}

const OPERATIONS: Record<string, Operation> = {
  cancelAppointment: { expected: partiesOnly, run: async (token) => server.gql(CANCEL, { id: await freshAppointment() }, token) },
  rescheduleAppointment: {
    expected: partiesOnly,
    run: async (token) => server.gql(RESCHEDULE, { id: await freshAppointment(), startsAt: futureSlot() }, token),
  },
  completeAppointment: {
    expected: onlyTheDoctor,
    run: async (token) => {
      const id = await freshAppointment();
      await makeItStarted(server, id);
      return server.gql(COMPLETE, { id }, token);
    },
  },
  recordVitals: { expected: onlyTheDoctor, run: (token) => server.gql(RECORD_VITALS, { patientId: accounts.patient.id, input: { heartRate: 70 } }, token) },
  patientVitals: { expected: partiesOnly, run: (token) => server.gql(PATIENT_VITALS, { patientId: accounts.patient.id }, token) },
  addMedicalRecord: { expected: onlyTheDoctor, run: (token) => server.gql(ADD_RECORD, { patientId: accounts.patient.id, input: { diagnosis: 'Flu', icd10Code: 'J11.1' } }, token) },
  patientMedicalRecords: { expected: partiesOnly, run: (token) => server.gql(PATIENT_RECORDS, { patientId: accounts.patient.id }, token) },
  setWorkingHours: { expected: onlyTheDoctor, run: (token) => server.gql(SET_HOURS, { doctorId: accounts.doctor.id, hours: [] }, token) },
  addDayOff: { expected: onlyTheDoctor, run: (token) => server.gql(ADD_DAY_OFF, { doctorId: accounts.doctor.id, date: DAY_OFF }, token) },
  removeDayOff: { expected: onlyTheDoctor, run: (token) => server.gql(REMOVE_DAY_OFF, { doctorId: accounts.doctor.id, date: DAY_OFF }, token) },
  doctorAvailability: { expected: anySignedIn, run: (token) => server.gql(AVAILABILITY, { doctorId: accounts.doctor.id }, token) },
  availableSlots: {
    expected: anySignedIn,
    run: (token) => {
      const from = futureSlot(30);
      return server.gql(SLOTS, { doctorId: accounts.doctor.id, from, to: new Date(from.getTime() + 86_400_000) }, token);
    },
  },
};

interface SubscriptionCase {
  readonly expected: Expected;
  readonly query: string;
  readonly variables: () => Record<string, unknown>;
  /** The outbox stream an accepted subscription of this viewer listens to. */
  readonly stream: (viewer: TestAccount) => string;
}

const liveFor = (...who: Who[]): Expected =>
  Object.fromEntries(EVERYONE.map((w) => [w, w === 'anonymous' ? '4401' : who.includes(w) ? 'LIVE' : 'FORBIDDEN'])) as Expected;

const SUBSCRIPTIONS: Record<string, SubscriptionCase> = {
  appointmentUpdated: {
    expected: liveFor('doctor'),
    query: APPOINTMENT_UPDATED,
    variables: () => ({ doctorId: accounts.doctor.id }),
    stream: () => doctorStream(accounts.doctor.id),
  },
  myAppointmentUpdated: {
    expected: liveFor('patient', 'otherPatient'),
    query: MY_APPOINTMENT_UPDATED,
    variables: () => ({}),
    stream: (viewer) => patientStream(viewer.id),
  },
  vitalsRecorded: {
    expected: liveFor('doctor'),
    query: VITALS_RECORDED,
    variables: () => ({ doctorId: accounts.doctor.id }),
    stream: () => doctorStream(accounts.doctor.id),
  },
  myVitalsRecorded: {
    expected: liveFor('patient', 'otherPatient'),
    query: MY_VITALS_RECORDED,
    variables: () => ({}),
    stream: (viewer) => patientStream(viewer.id),
  },
};

beforeAll(async () => {
  server = await startTestServer('services');
  accounts = {
    patient: await registerPatient(server),
    otherPatient: await registerPatient(server),
    otherDoctor: await registerDoctor(server),
    doctor: await registerDoctor(server),
  };
  // The relationship: the patient has booked the doctor.
  await freshAppointment();
});
afterAll(async () => {
  await server.dispose();
});

const tokenOf = (who: Who) => (who === 'anonymous' ? undefined : accounts[who].token);

describe.each(Object.keys(OPERATIONS))('%s', (name) => {
  const operation = OPERATIONS[name]!;
  it.each(EVERYONE.map((who) => [who, operation.expected[who]]))('answers %s with %s', async (who) => {
    const response = await operation.run(tokenOf(who as Who));
    const code = response.errors?.[0]?.extensions?.['code'] ?? (response.data ? 'OK' : 'NO DATA');
    expect(code).toBe(operation.expected[who as Who]);
  });
});

describe.each(Object.keys(SUBSCRIPTIONS))('subscription %s', (name) => {
  const subscriptionCase = SUBSCRIPTIONS[name]!;

  it.each(EVERYONE.map((who) => [who, subscriptionCase.expected[who]]))('answers %s with %s', async (who) => {
    const subscription = subscribe(server.wsUrl, tokenOf(who as Who), subscriptionCase.query, subscriptionCase.variables());
    const expected = subscriptionCase.expected[who as Who];
    if (expected === '4401') {
      expect((await subscription.closed).code).toBe(4401);
    } else if (expected === 'LIVE') {
      await waitForSubscribers(server, subscriptionCase.stream(accounts[who as Exclude<Who, 'anonymous'>]));
    } else {
      const result = await subscription.next();
      expect(result.errors?.[0]?.extensions?.['code']).toBe(expected);
    }
  });
});
