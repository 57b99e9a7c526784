// Every read and change of a patient's data leaves its audit rows, one test per operation from the
// one table below. A new operation on patient data (practices: check-in, no-show, practice
// patients...) is one more row of OPERATIONS.
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
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { waitForDoctorSubscribers } from '../../test/helpers/wait-for';
import { subscribe, type TestSubscription } from '../../test/helpers/ws-client';
import { AuditAction } from './audit-entry';

let server: TestServer;
const subscriptions: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  server = await startTestServer('services');
});
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await server.dispose();
});

/** A doctor with a patient on their list (one booking), and the booking's id. */
interface Scene {
  doctor: TestAccount;
  patient: TestAccount;
  appointmentId: string;
}

async function scene(): Promise<Scene> {
  const [doctor, patient] = await Promise.all([registerDoctor(server), registerPatient(server)]);
  const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), reason: 'Check-up' });
  return { doctor, patient, appointmentId: booked.data!.bookAppointment.id };
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

type Expected = { action: string; actor: 'doctor' | 'patient' | 'other doctor'; objectType: string | null; outcome?: string };
interface Operation {
  readonly name: string;
  /** Runs the operation after `scene()`; returns when its answer (or event) has arrived. */
  run(s: Scene): Promise<void>;
  /** The audit rows about the scene's patient this operation adds (beyond the scene's own booking). */
  readonly expected: readonly Expected[];
}

const OPERATIONS: readonly Operation[] = [
  {
    name: 'bookAppointment',
    run: async (s) => void (await gqlOk(BOOK, { input: { doctorId: s.doctor.id, startsAt: futureSlot() } }, s.patient.token)),
    expected: [{ action: AuditAction.BookAppointment, actor: 'patient', objectType: 'appointment' }],
  },
  {
    name: 'cancelAppointment',
    run: async (s) => void (await gqlOk(CANCEL, { id: s.appointmentId }, s.doctor.token)),
    expected: [{ action: AuditAction.CancelAppointment, actor: 'doctor', objectType: 'appointment' }],
  },
  {
    name: 'rescheduleAppointment',
    run: async (s) => void (await gqlOk(RESCHEDULE, { id: s.appointmentId, startsAt: futureSlot() }, s.patient.token)),
    expected: [{ action: AuditAction.RescheduleAppointment, actor: 'patient', objectType: 'appointment' }],
  },
  {
    name: 'completeAppointment',
    run: async (s) => {
      await makeItStarted(server, s.appointmentId);
      await gqlOk(COMPLETE, { id: s.appointmentId }, s.doctor.token);
    },
    expected: [{ action: AuditAction.CompleteAppointment, actor: 'doctor', objectType: 'appointment' }],
  },
  {
    name: 'recordVitals',
    run: async (s) => void (await gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 70 } }, s.doctor.token)),
    expected: [{ action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' }],
  },
  {
    name: 'addMedicalRecord',
    run: async (s) => void (await gqlOk(ADD_RECORD, { patientId: s.patient.id, input: { diagnosis: 'Hypertension' } }, s.doctor.token)),
    expected: [{ action: AuditAction.AddMedicalRecord, actor: 'doctor', objectType: 'record' }],
  },
  {
    name: 'doctorPatients',
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
    run: async (s) => void (await gqlOk(PATIENT_VITALS, { patientId: s.patient.id }, s.doctor.token)),
    expected: [{ action: AuditAction.ReadVitals, actor: 'doctor', objectType: 'vitals' }],
  },
  {
    name: 'patientVitals by the patient (own data: not recorded)',
    run: async (s) => void (await gqlOk(PATIENT_VITALS, { patientId: s.patient.id }, s.patient.token)),
    expected: [],
  },
  {
    name: 'patientVitals refused to another doctor',
    run: async (s) => {
      const other = await registerDoctor(server);
      const result = await server.gql(PATIENT_VITALS, { patientId: s.patient.id }, other.token);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    },
    expected: [{ action: AuditAction.ReadVitals, actor: 'other doctor', objectType: null, outcome: 'DENIED' }],
  },
  {
    name: 'patientMedicalRecords by their doctor',
    run: async (s) => void (await gqlOk(PATIENT_RECORDS, { patientId: s.patient.id }, s.doctor.token)),
    expected: [{ action: AuditAction.ReadMedicalRecords, actor: 'doctor', objectType: 'record' }],
  },
  {
    name: 'patientAdded delivered to the doctor',
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
    run: (s) => deliver(s, APPOINTMENT_UPDATED, () => gqlOk(CANCEL, { id: s.appointmentId }, s.patient.token)),
    expected: [
      { action: AuditAction.CancelAppointment, actor: 'patient', objectType: 'appointment' },
      { action: AuditAction.DeliverAppointmentUpdated, actor: 'doctor', objectType: 'appointment' },
    ],
  },
  {
    name: 'vitalsRecorded delivered to the doctor',
    run: (s) =>
      deliver(s, VITALS_RECORDED, () => gqlOk(RECORD_VITALS, { patientId: s.patient.id, input: { heartRate: 80 } }, s.doctor.token)),
    expected: [
      { action: AuditAction.RecordVitals, actor: 'doctor', objectType: 'vitals' },
      { action: AuditAction.DeliverVitalsRecorded, actor: 'doctor', objectType: 'vitals' },
    ],
  },
];

async function practiceOf(doctorId: string): Promise<string> {
  return (await server.database.prisma.doctor.findUniqueOrThrow({ where: { id: doctorId }, select: { practiceId: true } })).practiceId;
}

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
        actorRole: expected.actor === 'patient' ? 'PATIENT' : 'DOCTOR',
        objectType: expected.objectType,
        outcome: expected.outcome ?? 'SUCCESS',
      });
      // Patients belong to no practice; a doctor's row names theirs (here the one-doctor practice of self-registration).
      if (expected.actor === 'patient') expect(row!.actorPracticeId).toBeNull();
      if (expected.actor === 'doctor') expect(row!.actorPracticeId).toBe(await practiceOf(s.doctor.id));
      if (expected.actor === 'other doctor') expect(row!.actorUserId).not.toBe(s.doctor.id);
      expect(row!.requestId).toMatch(/\S{8,}/);
      expect(row!.clientAddress).toMatch(/127\.0\.0\.1$/);
    }
  });
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
