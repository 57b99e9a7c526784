// Who may do what, generated from one table: every role of the practices issue (anonymous, the
// patient, another patient, staff of the practice, staff of another practice, the patient's doctor,
// a doctor of the same practice whose only booking with the patient was cancelled, a doctor of
// another practice, and the practice's admin) against every operation and subscription, each with
// the exact code ("OK" when allowed; "LIVE" when a subscription is accepted; 4401 when an
// anonymous socket is closed).
import { doctorStream, patientStream, practiceStream } from '../../src/live/streams';
import { book, futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { daysFromNow, isoDate } from '../helpers/calendar';
import {
  ADD_DAY_OFF,
  ADD_RECORD,
  APPOINTMENT_UPDATED,
  AVAILABILITY,
  CANCEL,
  COMPLETE,
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
import {
  CHECK_IN,
  CREATE_INVITATION,
  createPractice,
  joinPractice,
  MARK_NO_SHOW,
  moveToEarlierToday,
  PRACTICE_APPOINTMENT_UPDATED,
  PRACTICE_PATIENT_ADDED,
  PRACTICE_PATIENTS,
  type TestPractice,
} from '../helpers/practices';
import { startTestServer, type GqlResponse, type TestServer } from '../helpers/test-server';
import { waitForSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const EVERYONE = [
  'anonymous',
  'patient',
  'otherPatient',
  'staff',
  'otherStaff',
  'doctor',
  'doctorNoCare',
  'otherPracticeDoctor',
  'admin',
] as const;
type Who = (typeof EVERYONE)[number];
type Account = Exclude<Who, 'anonymous'>;
type Expected = Readonly<Record<Who, string>>;

/** OK for these, UNAUTHENTICATED for anonymous, FORBIDDEN for everyone else. */
const only = (...who: Account[]): Expected =>
  Object.fromEntries(
    EVERYONE.map((w) => [w, w === 'anonymous' ? 'UNAUTHENTICATED' : who.includes(w as Account) ? 'OK' : 'FORBIDDEN']),
  ) as Expected;
const anySignedIn = only('patient', 'otherPatient', 'staff', 'otherStaff', 'doctor', 'doctorNoCare', 'otherPracticeDoctor', 'admin');
/** The admin of the practice is a STAFF admin: the front desk's rights, and inviting. */
const desk = ['staff', 'admin'] as const;

let server: TestServer;
const DAY_OFF = isoDate(daysFromNow(30));
let practice: TestPractice;
let accounts: Record<Account, TestAccount>;

/** A fresh BOOKED appointment of the patient with the doctor, so each cell starts from the same state. */
function freshAppointment(): Promise<string> {
  return bookOrThrow(server, accounts.patient, { doctorId: accounts.doctor.id, startsAt: futureSlot() });
}

/** A fresh appointment that started earlier today in the practice's zone (check-in, no-show, completion). */
async function startedToday(): Promise<string> {
  const id = await bookOrThrow(server, accounts.patient, { doctorId: accounts.doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
  await moveToEarlierToday(server, id);
  return id;
}

interface Operation {
  readonly expected: Expected;
  readonly run: (token: string | undefined) => Promise<GqlResponse<unknown>>;
}

const patientId = () => accounts.patient.id;
const OPERATIONS: Record<string, Operation> = {
  bookAppointmentForThePatient: {
    expected: only('patient', ...desk),
    run: (token) =>
      server.gql(
        'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }',
        {
          input: { doctorId: accounts.doctor.id, patientId: patientId(), startsAt: futureSlot() },
        },
        token,
      ),
  },
  cancelAppointment: {
    expected: only('patient', 'doctor', ...desk),
    run: async (token) => server.gql(CANCEL, { id: await freshAppointment() }, token),
  },
  rescheduleAppointment: {
    expected: only('patient', 'doctor', ...desk),
    run: async (token) => server.gql(RESCHEDULE, { id: await freshAppointment(), startsAt: futureSlot() }, token),
  },
  checkInAppointment: {
    expected: only('doctor', ...desk),
    run: async (token) => server.gql(CHECK_IN, { id: await startedToday() }, token),
  },
  undoCheckIn: {
    expected: only('doctor', ...desk),
    run: async (token) => {
      const id = await startedToday();
      await server.gql(CHECK_IN, { id }, accounts.staff.token);
      return server.gql('mutation ($id: ID!) { undoCheckIn(id: $id) { id } }', { id }, token);
    },
  },
  markNoShow: { expected: only('doctor', ...desk), run: async (token) => server.gql(MARK_NO_SHOW, { id: await startedToday() }, token) },
  completeAppointment: { expected: only('doctor'), run: async (token) => server.gql(COMPLETE, { id: await startedToday() }, token) },
  recordVitals: {
    expected: only('doctor'),
    run: (token) => server.gql(RECORD_VITALS, { patientId: patientId(), input: { heartRate: 70 } }, token),
  },
  patientVitals: { expected: only('patient', 'doctor'), run: (token) => server.gql(PATIENT_VITALS, { patientId: patientId() }, token) },
  addMedicalRecord: {
    expected: only('doctor'),
    run: (token) => server.gql(ADD_RECORD, { patientId: patientId(), input: { diagnosis: 'Flu', icd10Code: 'J11.1' } }, token),
  },
  patientMedicalRecords: {
    expected: only('patient', 'doctor'),
    run: (token) => server.gql(PATIENT_RECORDS, { patientId: patientId() }, token),
  },
  doctorPatients: {
    expected: only('doctor'),
    run: (token) => server.gql('query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }', { d: accounts.doctor.id }, token),
  },
  practice: {
    expected: only('staff', 'doctor', 'doctorNoCare', 'admin'),
    run: (token) =>
      server.gql(
        'query ($id: ID!) { practice(id: $id) { id members { id admin } admins { id } staff { id } doctors { id } } }',
        { id: practice.id },
        token,
      ),
  },
  pendingInvitations: {
    expected: only('admin'),
    run: (token) => server.gql('query ($id: ID!) { practice(id: $id) { pendingInvitations { id code } } }', { id: practice.id }, token),
  },
  practicePatients: { expected: only(...desk), run: (token) => server.gql(PRACTICE_PATIENTS, { practiceId: practice.id }, token) },
  practiceSchedule: {
    expected: only(...desk),
    run: (token) => {
      const from = new Date();
      return server.gql(
        'query ($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { practiceSchedule(practiceId: $p, from: $from, to: $to) { id } }',
        { p: practice.id, from, to: new Date(from.getTime() + 86_400_000) },
        token,
      );
    },
  },
  doctorSchedule: {
    expected: only('doctor'),
    run: (token) => {
      const from = new Date();
      return server.gql(
        'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $from, to: $to) { id } }',
        { d: accounts.doctor.id, from, to: new Date(from.getTime() + 86_400_000) },
        token,
      );
    },
  },
  createInvitation: {
    expected: only('admin'),
    run: (token) =>
      server.gql(CREATE_INVITATION, { input: { practiceId: practice.id, role: 'STAFF', email: `x-${Date.now()}@test.careline` } }, token),
  },
  setPracticeBookableWithoutHours: {
    expected: only('admin'),
    run: (token) =>
      server.gql(
        'mutation ($p: ID!) { setPracticeBookableWithoutHours(practiceId: $p, allowed: false) { id } }',
        { p: practice.id },
        token,
      ),
  },
  setWorkingHours: {
    expected: only('doctor', 'admin'),
    run: (token) => server.gql(SET_HOURS, { doctorId: accounts.doctor.id, hours: [] }, token),
  },
  addDayOff: {
    expected: only('doctor', 'admin'),
    run: (token) => server.gql(ADD_DAY_OFF, { doctorId: accounts.doctor.id, date: DAY_OFF }, token),
  },
  removeDayOff: {
    expected: only('doctor', 'admin'),
    run: (token) => server.gql(REMOVE_DAY_OFF, { doctorId: accounts.doctor.id, date: DAY_OFF }, token),
  },
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
  readonly live: readonly Account[];
  readonly query: string;
  readonly variables: () => Record<string, unknown>;
  /** The outbox stream an accepted subscription of this viewer listens to. */
  readonly stream: (viewer: TestAccount) => string;
}

const SUBSCRIPTIONS: Record<string, SubscriptionCase> = {
  patientAdded: {
    live: ['doctor'],
    query: 'subscription ($doctorId: ID!) { patientAdded(doctorId: $doctorId) { cursor } }',
    variables: () => ({ doctorId: accounts.doctor.id }),
    stream: () => doctorStream(accounts.doctor.id),
  },
  appointmentUpdated: {
    live: ['doctor'],
    query: APPOINTMENT_UPDATED,
    variables: () => ({ doctorId: accounts.doctor.id }),
    stream: () => doctorStream(accounts.doctor.id),
  },
  myAppointmentUpdated: {
    live: ['patient', 'otherPatient'],
    query: MY_APPOINTMENT_UPDATED,
    variables: () => ({}),
    stream: (viewer) => patientStream(viewer.id),
  },
  vitalsRecorded: {
    live: ['doctor'],
    query: VITALS_RECORDED,
    variables: () => ({ doctorId: accounts.doctor.id }),
    stream: () => doctorStream(accounts.doctor.id),
  },
  myVitalsRecorded: {
    live: ['patient', 'otherPatient'],
    query: MY_VITALS_RECORDED,
    variables: () => ({}),
    stream: (viewer) => patientStream(viewer.id),
  },
  practicePatientAdded: {
    live: desk,
    query: PRACTICE_PATIENT_ADDED,
    variables: () => ({ practiceId: practice.id }),
    stream: () => practiceStream(practice.id),
  },
  practiceAppointmentUpdated: {
    live: desk,
    query: PRACTICE_APPOINTMENT_UPDATED,
    variables: () => ({ practiceId: practice.id }),
    stream: () => practiceStream(practice.id),
  },
};

beforeAll(async () => {
  // Every cell books a fresh appointment for the same patient: far more than the per-account
  // booking budget, which is tested on its own (rate-limits.test.ts); this file tests who may.
  server = await startTestServer('services', { RATE_LIMIT_BOOKINGS_PER_MINUTE: '0' });
  practice = await createPractice(server);
  const other = await createPractice(server);
  accounts = {
    patient: await registerPatient(server),
    otherPatient: await registerPatient(server),
    staff: await joinPractice(server, practice, 'STAFF'),
    otherStaff: await joinPractice(server, other, 'STAFF'),
    doctor: await joinPractice(server, practice, 'DOCTOR'),
    doctorNoCare: await joinPractice(server, practice, 'DOCTOR'),
    otherPracticeDoctor: await joinPractice(server, other, 'DOCTOR'),
    admin: practice.admin,
  };
  // The care relationship: the patient has booked the doctor. With doctorNoCare, the only
  // booking was cancelled: it stays in the history but gives no access.
  await freshAppointment();
  const cancelled = await bookOrThrow(server, accounts.patient, { doctorId: accounts.doctorNoCare.id, startsAt: futureSlot() });
  const cancel = await server.gql(CANCEL, { id: cancelled }, accounts.patient.token);
  if (cancel.errors) throw new Error(JSON.stringify(cancel.errors));
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
  const expected = (who: Who) => (who === 'anonymous' ? '4401' : subscriptionCase.live.includes(who) ? 'LIVE' : 'FORBIDDEN');
  it.each(EVERYONE.map((who) => [who, expected(who)]))('answers %s with %s', async (who, outcome) => {
    const subscription = subscribe(server.wsUrl, tokenOf(who as Who), subscriptionCase.query, subscriptionCase.variables());
    if (outcome === '4401') {
      expect((await subscription.closed).code).toBe(4401);
    } else if (outcome === 'LIVE') {
      await waitForSubscribers(server, subscriptionCase.stream(accounts[who as Account]));
    } else {
      const result = await subscription.next();
      expect(result.errors?.[0]?.extensions?.['code']).toBe(outcome);
    }
  });
});

it("tells the front desk nothing clinical: latestVitals is null for staff, the patient's appointments are the practice's", async () => {
  await server.gql(RECORD_VITALS, { patientId: patientId(), input: { heartRate: 71 } }, accounts.doctor.token);
  // An appointment with another practice's doctor: the desk must not see it.
  const elsewhere = await bookOrThrow(server, accounts.patient, { doctorId: accounts.otherPracticeDoctor.id, startsAt: futureSlot() });
  const query =
    'query ($p: ID!) { practicePatients(practiceId: $p) { edges { node { id latestVitals { id } appointments { id doctor { id } } } } } }';
  for (const who of desk) {
    const result = await server.gql<{
      practicePatients: {
        edges: Array<{ node: { id: string; latestVitals: null; appointments: Array<{ id: string; doctor: { id: string } }> } }>;
      };
    }>(query, { p: practice.id }, accounts[who].token);
    expect(result.errors).toBeUndefined();
    const node = result.data!.practicePatients.edges.find((edge) => edge.node.id === patientId())!.node;
    expect(node.latestVitals).toBeNull();
    // What staff see, not only that they may ask: the practice's appointments of the patient (there
    // are some: the scope once had no staff branch and answered an empty list), none elsewhere.
    const doctors = new Set(node.appointments.map((appointment) => appointment.doctor.id));
    expect(doctors.has(accounts.doctor.id)).toBe(true);
    expect([...doctors].every((id) => id === accounts.doctor.id || id === accounts.doctorNoCare.id)).toBe(true);
    expect(node.appointments.map((appointment) => appointment.id)).not.toContain(elsewhere);
  }
  void book; // (book is re-exported for other matrix tests; nothing else here)
});
