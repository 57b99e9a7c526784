// Every read, delivery and change of a patient's data leaves its audit rows, one test per operation
// from the one table below, counting the patient's rows around the call. Every field that
// PATIENT_DATA_FIELDS says is audited must have its operation here (checked at the end).
import { BOOK, book, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../../test/helpers/accounts';
import {
  ADD_RECORD,
  APPOINTMENT_UPDATED,
  CANCEL,
  COMPLETE,
  makeItStarted,
  PATIENT_RECORDS,
  PATIENT_VITALS,
  RECORD_VITALS,
  RESCHEDULE,
  VITALS_RECORDED,
} from '../../test/helpers/clinic';
import {
  CHECK_IN,
  createPractice,
  joinPractice,
  MARK_NO_SHOW,
  moveToEarlierToday,
  PRACTICE_APPOINTMENT_UPDATED,
  PRACTICE_PATIENT_ADDED,
  PRACTICE_PATIENTS,
  type TestPractice,
} from '../../test/helpers/practices';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { waitForDoctorSubscribers, waitForSubscribers } from '../../test/helpers/wait-for';
import { subscribe, type TestSubscription } from '../../test/helpers/ws-client';
import { practiceStream } from '../live/streams';
import { AuditAction } from './audit-entry';
import { PATIENT_DATA_FIELDS } from './patient-data-fields';

let server: TestServer;
let practice: TestPractice;
let staff: TestAccount;
const subscriptions: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  server = await startTestServer('services');
  practice = await createPractice(server);
  staff = await joinPractice(server, practice, 'STAFF');
});
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await server.dispose();
});

/** A doctor of the practice with a patient on their list (one booking), and the booking's id and start. */
interface Scene {
  doctor: TestAccount;
  patient: TestAccount;
  appointmentId: string;
  startsAt: Date;
}

async function scene(): Promise<Scene> {
  const [doctor, patient] = await Promise.all([joinPractice(server, practice, 'DOCTOR'), registerPatient(server)]);
  const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), reason: 'Check-up' });
  const appointment = booked.data!.bookAppointment;
  return { doctor, patient, appointmentId: appointment.id, startsAt: new Date(appointment.startsAt) };
}

/** An hour around the scene's appointment, as schedule arguments. */
const around = (s: Scene) => ({
  from: new Date(s.startsAt.getTime() - 3_600_000).toISOString(),
  to: new Date(s.startsAt.getTime() + 3_600_000).toISOString(),
});

/** Subscribes the practice's staff member on `query`, runs `act`, waits for the event; returns its cursor. */
async function deliverToDesk(query: string, act: () => Promise<unknown>, after?: string): Promise<string> {
  const subscription = subscribe<Record<string, { cursor: string }>>(server.wsUrl, staff.token, query, {
    practiceId: practice.id,
    ...(after ? { after } : {}),
  });
  subscriptions.push(subscription);
  await waitForSubscribers(server, practiceStream(practice.id));
  await act();
  const event = await subscription.next({ timeoutMs: 5000 });
  expect(event.errors).toBeUndefined();
  await subscription.dispose();
  return Object.values(event.data!)[0]!.cursor;
}

async function gqlOk(query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, unknown>> {
  const result = await server.gql(query, variables, token);
  if (!result.data || result.errors) throw new Error(`operation failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Subscribes the doctor on `query`, runs `act`, waits for the event: the delivery is audited before it is sent. */
async function deliver(s: Scene, query: string, act: () => Promise<unknown>): Promise<void> {
  const subscription = subscribe(server.wsUrl, s.doctor.token, query, { doctorId: s.doctor.id, d: s.doctor.id });
  subscriptions.push(subscription);
  await waitForDoctorSubscribers(server, s.doctor.id);
  await act();
  const event = await subscription.next({ timeoutMs: 5000 });
  expect(event.errors).toBeUndefined();
}

type Expected = { action: string; actor: 'doctor' | 'patient' | 'other doctor' | 'staff'; objectType: string | null; outcome?: string };
interface Operation {
  readonly name: string;
  /** The field of PATIENT_DATA_FIELDS ("Type.field") this operation exercises. */
  readonly field: string;
  /** Runs the operation after `scene()`; returns when its answer (or event) has arrived. */
  run(s: Scene): Promise<void>;
  /** The audit rows about the scene's patient this operation adds (beyond the scene's own booking). */
  readonly expected: readonly Expected[];
}

const OPERATIONS: readonly Operation[] = [
  {
    name: 'bookAppointment',
    field: 'Mutation.bookAppointment',
    run: async (s) => void (await gqlOk(BOOK, { input: { doctorId: s.doctor.id, startsAt: futureSlot() } }, s.patient.token)),
    expected: [{ action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' }],
  },
  {
    name: 'cancelAppointment',
    field: 'Mutation.cancelAppointment',
    run: async (s) => void (await gqlOk(CANCEL, { id: s.appointmentId }, s.doctor.token)),
    expected: [{ action: AuditAction.CancelAppointment, actor: 'doctor', objectType: 'appointment' }],
  },
  {
    name: 'rescheduleAppointment',
    field: 'Mutation.rescheduleAppointment',
    run: async (s) => void (await gqlOk(RESCHEDULE, { id: s.appointmentId, startsAt: futureSlot() }, s.patient.token)),
    expected: [{ action: AuditAction.RescheduleAppointment, actor: 'patient', objectType: 'appointment' }],
  },
  {
    name: 'completeAppointment',
    field: 'Mutation.completeAppointment',
    run: async (s) => {
      await makeItStarted(server, s.appointmentId);
      await gqlOk(COMPLETE, { id: s.appointmentId }, s.doctor.token);
    },
    expected: [{ action: AuditAction.CompleteAppointment, actor: 'doctor', objectType: 'appointment' }],
  },
  {
    name: 'recordVitals',
    field: 'Mutation.recordVitals',
    run: async (s) => void (await gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 70 } }, s.doctor.token)),
    expected: [{ action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' }],
  },
  {
    name: 'addMedicalRecord',
    field: 'Mutation.addMedicalRecord',
    run: async (s) => void (await gqlOk(ADD_RECORD, { patientId: s.patient.id, input: { diagnosis: 'Hypertension' } }, s.doctor.token)),
    expected: [{ action: AuditAction.AddMedicalRecord, actor: 'doctor', objectType: 'record' }],
  },
  {
    name: 'doctorPatients',
    field: 'Query.doctorPatients',
    run: async (s) =>
      void (await gqlOk(
        'query ($d: ID!) { doctorPatients(doctorId: $d) { edges { node { id latestVitals { id } } } } }',
        { d: s.doctor.id },
        s.doctor.token,
      )),
    expected: [{ action: AuditAction.ListPatients, actor: 'doctor', objectType: 'patient' }],
  },
  {
    name: 'patientVitals by their doctor',
    field: 'Query.patientVitals',
    run: async (s) => void (await gqlOk(PATIENT_VITALS, { patientId: s.patient.id }, s.doctor.token)),
    expected: [{ action: AuditAction.ReadVitals, actor: 'doctor', objectType: 'vitals' }],
  },
  {
    name: 'patientVitals by the patient (own data: not recorded)',
    field: 'Query.patientVitals',
    run: async (s) => void (await gqlOk(PATIENT_VITALS, { patientId: s.patient.id }, s.patient.token)),
    expected: [],
  },
  {
    name: 'patientVitals refused to another doctor',
    field: 'Query.patientVitals',
    run: async (s) => {
      const other = await registerDoctor(server);
      const result = await server.gql(PATIENT_VITALS, { patientId: s.patient.id }, other.token);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    },
    expected: [{ action: AuditAction.ReadVitals, actor: 'other doctor', objectType: null, outcome: 'DENIED' }],
  },
  {
    name: 'patientMedicalRecords by their doctor',
    field: 'Query.patientMedicalRecords',
    run: async (s) => void (await gqlOk(PATIENT_RECORDS, { patientId: s.patient.id }, s.doctor.token)),
    expected: [{ action: AuditAction.ReadMedicalRecords, actor: 'doctor', objectType: 'record' }],
  },
  {
    name: 'patientAdded delivered to the doctor',
    field: 'Subscription.patientAdded',
    run: (s) =>
      deliver(s, 'subscription ($d: ID!) { patientAdded(doctorId: $d) { patient { id } } }', () =>
        book(server, s.patient, { doctorId: s.doctor.id, startsAt: futureSlot() }),
      ),
    expected: [
      { action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverPatientAdded, actor: 'doctor', objectType: 'appointment' },
    ],
  },
  {
    name: 'appointmentUpdated delivered to the doctor',
    field: 'Subscription.appointmentUpdated',
    run: (s) => deliver(s, APPOINTMENT_UPDATED, () => gqlOk(CANCEL, { id: s.appointmentId }, s.patient.token)),
    expected: [
      { action: AuditAction.CancelAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverAppointmentUpdated, actor: 'doctor', objectType: 'appointment' },
    ],
  },
  {
    name: 'vitalsRecorded delivered to the doctor',
    field: 'Subscription.vitalsRecorded',
    run: (s) =>
      deliver(s, VITALS_RECORDED, () => gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 80 } }, s.doctor.token)),
    expected: [
      { action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' },
      { action: AuditAction.DeliverVitalsRecorded, actor: 'doctor', objectType: 'vitals' },
      // The event's selection asks for the patient's latestVitals too: read from the database, recorded.
      { action: AuditAction.ReadVitals, actor: 'doctor', objectType: 'vitals' },
    ],
  },
  {
    name: 'doctorPatients with latest vitals: one vitals.read row per patient whose vitals are sent',
    field: 'Patient.latestVitals',
    run: async (s) => {
      await gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 72 } }, s.doctor.token);
      const data = await gqlOk(
        'query ($d: ID!) { doctorPatients(doctorId: $d) { edges { node { id latestVitals { id heartRate } } } } }',
        { d: s.doctor.id },
        s.doctor.token,
      );
      expect(JSON.stringify(data)).toContain('"heartRate":72');
    },
    expected: [
      { action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' },
      { action: AuditAction.ListPatients, actor: 'doctor', objectType: 'patient' },
      { action: AuditAction.ReadVitals, actor: 'doctor', objectType: 'vitals' },
    ],
  },
  {
    name: "doctorPatients with the patients' appointments",
    field: 'Patient.appointments',
    run: async (s) =>
      void (await gqlOk(
        'query ($d: ID!) { doctorPatients(doctorId: $d) { edges { node { id appointments { id reason } } } } }',
        { d: s.doctor.id },
        s.doctor.token,
      )),
    expected: [
      { action: AuditAction.ListPatients, actor: 'doctor', objectType: 'patient' },
      { action: AuditAction.ReadAppointments, actor: 'doctor', objectType: 'appointment' },
    ],
  },
  {
    name: 'doctorSchedule (reasons)',
    field: 'Query.doctorSchedule',
    run: async (s) =>
      void (await gqlOk(
        'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $from, to: $to) { id reason patient { name } } }',
        { d: s.doctor.id, ...around(s) },
        s.doctor.token,
      )),
    expected: [{ action: AuditAction.ReadSchedule, actor: 'doctor', objectType: 'appointment' }],
  },
  {
    name: 'doctorSchedule with latest vitals',
    field: 'Patient.latestVitals',
    run: async (s) => {
      await gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 66 } }, s.doctor.token);
      await gqlOk(
        'query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { doctorSchedule(doctorId: $d, from: $from, to: $to) { id patient { latestVitals { id } } } }',
        { d: s.doctor.id, ...around(s) },
        s.doctor.token,
      );
    },
    expected: [
      { action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' },
      { action: AuditAction.ReadSchedule, actor: 'doctor', objectType: 'appointment' },
      { action: AuditAction.ReadVitals, actor: 'doctor', objectType: 'vitals' },
    ],
  },
  {
    name: "practiceSchedule by the practice's staff (reasons)",
    field: 'Query.practiceSchedule',
    run: async (s) =>
      void (await gqlOk(
        'query ($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { practiceSchedule(practiceId: $p, from: $from, to: $to) { id reason patient { name } } }',
        { p: practice.id, ...around(s) },
        staff.token,
      )),
    expected: [{ action: AuditAction.ReadSchedule, actor: 'staff', objectType: 'appointment' }],
  },
  {
    name: "practicePatients searched by the practice's staff (names, dates of birth)",
    field: 'Query.practicePatients',
    run: async (s) => {
      const data = await gqlOk(PRACTICE_PATIENTS, { practiceId: practice.id, search: s.patient.name }, staff.token);
      expect(JSON.stringify(data)).toContain(s.patient.id);
    },
    // The list carries each patient's appointments with the practice: staff see them (issue 23).
    expected: [
      { action: AuditAction.ListPatients, actor: 'staff', objectType: 'patient' },
      { action: AuditAction.ReadAppointments, actor: 'staff', objectType: 'appointment' },
    ],
  },
  {
    name: "checkInAppointment by the practice's staff",
    field: 'Mutation.checkInAppointment',
    run: async (s) => {
      await moveToEarlierToday(server, s.appointmentId);
      await gqlOk(CHECK_IN, { id: s.appointmentId }, staff.token);
    },
    expected: [{ action: AuditAction.CheckInAppointment, actor: 'staff', objectType: 'appointment' }],
  },
  {
    name: "undoCheckIn by the practice's staff",
    field: 'Mutation.undoCheckIn',
    run: async (s) => {
      await moveToEarlierToday(server, s.appointmentId);
      await gqlOk(CHECK_IN, { id: s.appointmentId }, staff.token);
      await gqlOk('mutation ($id: ID!) { undoCheckIn(id: $id) { id status } }', { id: s.appointmentId }, staff.token);
    },
    expected: [
      { action: AuditAction.CheckInAppointment, actor: 'staff', objectType: 'appointment' },
      { action: AuditAction.UndoCheckIn, actor: 'staff', objectType: 'appointment' },
    ],
  },
  {
    name: "markNoShow by the practice's staff",
    field: 'Mutation.markNoShow',
    run: async (s) => {
      await moveToEarlierToday(server, s.appointmentId);
      await gqlOk(MARK_NO_SHOW, { id: s.appointmentId }, staff.token);
    },
    expected: [{ action: AuditAction.MarkNoShow, actor: 'staff', objectType: 'appointment' }],
  },
  {
    name: "practicePatientAdded delivered to the practice's staff",
    field: 'Subscription.practicePatientAdded',
    run: (s) =>
      deliverToDesk(PRACTICE_PATIENT_ADDED, () => book(server, s.patient, { doctorId: s.doctor.id, startsAt: futureSlot() })).then(
        () => {},
      ),
    expected: [
      { action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverPatientAdded, actor: 'staff', objectType: 'appointment' },
    ],
  },
  {
    name: "practicePatientAdded replayed to the practice's staff with `after`",
    field: 'Subscription.practicePatientAdded',
    run: async (s) => {
      const cursor = await deliverToDesk(PRACTICE_PATIENT_ADDED, () =>
        book(server, s.patient, { doctorId: s.doctor.id, startsAt: futureSlot() }),
      );
      // Booked while nobody listens; the desk's next subscription replays it from the cursor.
      await deliverToDesk(PRACTICE_PATIENT_ADDED, () => book(server, s.patient, { doctorId: s.doctor.id, startsAt: futureSlot() }), cursor);
    },
    expected: [
      { action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverPatientAdded, actor: 'staff', objectType: 'appointment' },
      { action: AuditAction.DeliverPatientAdded, actor: 'staff', objectType: 'appointment' },
    ],
  },
  {
    name: "practiceAppointmentUpdated delivered to the practice's staff",
    field: 'Subscription.practiceAppointmentUpdated',
    run: (s) => deliverToDesk(PRACTICE_APPOINTMENT_UPDATED, () => gqlOk(CANCEL, { id: s.appointmentId }, s.patient.token)).then(() => {}),
    expected: [
      { action: AuditAction.CancelAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverAppointmentUpdated, actor: 'staff', objectType: 'appointment' },
    ],
  },
];

async function rowsAbout(patientId: string, afterId: bigint) {
  return server.database.prisma.auditEvent.findMany({ where: { patientId, id: { gt: afterId } }, orderBy: { id: 'asc' } });
}

describe.each(OPERATIONS)('$name', (operation) => {
  it('leaves exactly its audit rows, with actor, role, patient, request id, client address and outcome', async () => {
    const s = await scene();
    const before = (await rowsAbout(s.patient.id, 0n)).at(-1)?.id ?? 0n;
    const actors = new Map<string, string>([
      ['doctor', s.doctor.id],
      ['patient', s.patient.id],
      ['staff', staff.id],
    ]);
    await operation.run(s);
    const rows = await rowsAbout(s.patient.id, before);
    expect(rows.map((row) => row.action).sort()).toEqual(operation.expected.map((row) => row.action).sort());
    for (const expected of operation.expected) {
      const row = rows.find(
        (candidate) =>
          candidate.action === expected.action &&
          (expected.actor === 'other doctor' || candidate.actorUserId === actors.get(expected.actor)),
      );
      expect(row).toBeDefined();
      expect(row).toMatchObject({
        actorRole: expected.actor === 'patient' ? 'PATIENT' : expected.actor === 'staff' ? 'STAFF' : 'DOCTOR',
        objectType: expected.objectType,
        outcome: expected.outcome ?? 'SUCCESS',
      });
      // Patients belong to no practice; a doctor's or a staff member's row names theirs.
      if (expected.actor === 'patient') expect(row!.actorPracticeId).toBeNull();
      if (expected.actor === 'doctor' || expected.actor === 'staff') expect(row!.actorPracticeId).toBe(practice.id);
      if (expected.actor === 'other doctor') expect(row!.actorUserId).not.toBe(s.doctor.id);
      expect(row!.requestId).toMatch(/\S{8,}/);
      expect(row!.clientAddress).toMatch(/127\.0\.0\.1$/);
    }
  });
});

it('runs every field PATIENT_DATA_FIELDS says is audited, expecting each of its actions', () => {
  for (const [field, coverage] of Object.entries(PATIENT_DATA_FIELDS)) {
    if (!('actions' in coverage)) continue;
    const tested = new Set(
      OPERATIONS.filter((operation) => operation.field === field).flatMap((operation) => operation.expected.map((row) => row.action)),
    );
    expect({ field, missing: coverage.actions.filter((action) => !tested.has(action)) }).toEqual({ field, missing: [] });
  }
});

it('records a page of the patient list as one row per patient on the page, under one request id', async () => {
  const doctor = await registerDoctor(server);
  const patients = await Promise.all([registerPatient(server), registerPatient(server), registerPatient(server)]);
  for (const patient of patients) await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await gqlOk('query ($d: ID!) { doctorPatients(doctorId: $d, first: 2) { edges { node { id } } } }', { d: doctor.id }, doctor.token);
  const rows = await server.database.prisma.auditEvent.findMany({ where: { actorUserId: doctor.id, action: AuditAction.ListPatients } });
  expect(rows).toHaveLength(2);
  expect(new Set(rows.map((row) => row.requestId)).size).toBe(1);
  expect(new Set(rows.map((row) => row.patientId))).toEqual(new Set(patients.slice(1).map((patient) => patient.id)));
});

it("names the row's request with the server's id, never the X-Request-Id the client sent", async () => {
  const s = await scene();
  const clientId = `trace-${s.patient.id.slice(0, 8)}`;
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.doctor.token}`, 'x-request-id': clientId },
    body: JSON.stringify({ query: PATIENT_VITALS, variables: { patientId: s.patient.id } }),
  });
  expect(response.status).toBe(200);
  const serverId = response.headers.get('x-request-id');
  expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
  const row = await server.database.prisma.auditEvent.findFirst({ where: { patientId: s.patient.id, action: AuditAction.ReadVitals } });
  expect(row?.requestId).toBe(serverId);
  expect(row?.requestId).not.toBe(clientId);
});

describe('the audit table is append-only for the server', () => {
  it.each([
    ['UPDATE', 'UPDATE audit_events SET outcome = outcome'],
    ['DELETE', 'DELETE FROM audit_events'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('refuses %s', async (_name, sql) => {
    await scene();
    await expect(server.database.prisma.$executeRawUnsafe(sql)).rejects.toThrow(/append-only/);
  });
});
