// Live deliveries are audited per (event, receiving user), not per socket: a doctor with five
// screens gets one row per event, each committed before any of the five frames is sent; replays
// of events the user already received add none.
import { book, futureSlot, registerPatient, type TestAccount } from '../../test/helpers/accounts';
import { RECORD_VITALS } from '../../test/helpers/clinic';
import { createPractice, joinPractice, PRACTICE_PATIENT_ADDED, type TestPractice } from '../../test/helpers/practices';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { waitForDoctorSubscribers, waitForSubscribers } from '../../test/helpers/wait-for';
import { subscribe, type TestSubscription } from '../../test/helpers/ws-client';
import { practiceStream } from '../live/streams';
import { AuditAction } from './audit-entry';

const PATIENT_ADDED = `subscription ($doctorId: ID!, $after: String) {
  patientAdded(doctorId: $doctorId, after: $after) { cursor appointment { id reason } patient { id name } } }`;
type Added = { patientAdded: { cursor: string; appointment: { id: string } } };

let server: TestServer;
let practice: TestPractice;
let doctor: TestAccount;
let staff: TestAccount;
const subscriptions: Array<TestSubscription<unknown>> = [];

beforeAll(async () => {
  server = await startTestServer('services');
  practice = await createPractice(server);
  [doctor, staff] = await Promise.all([joinPractice(server, practice, 'DOCTOR'), joinPractice(server, practice, 'STAFF')]);
});
afterEach(async () => {
  await Promise.all(subscriptions.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await server.dispose();
});

function open<T>(token: string, query: string, variables: Record<string, unknown>): TestSubscription<T> {
  const subscription = subscribe<T>(server.wsUrl, token, query, variables);
  subscriptions.push(subscription);
  return subscription;
}

const deliveryRows = (appointmentId: string, actorUserId: string) =>
  server.database.prisma.auditEvent.count({ where: { objectId: appointmentId, actorUserId, action: AuditAction.DeliverPatientAdded } });

it('writes one delivery row per event for a doctor on five sockets, committed before each socket receives it', async () => {
  const screens = Array.from({ length: 5 }, () => open<Added>(doctor.token, PATIENT_ADDED, { doctorId: doctor.id }));
  const desks = Array.from({ length: 2 }, () => open(staff.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id }));
  await waitForDoctorSubscribers(server, doctor.id, 5);
  await waitForSubscribers(server, practiceStream(practice.id), 2);

  const patients = await Promise.all([registerPatient(server), registerPatient(server), registerPatient(server)]);
  const booked: string[] = [];
  for (const patient of patients) {
    const result = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), reason: 'Follow-up' });
    booked.push(result.data!.bookAppointment.id);
  }

  let firstCursor = '';
  for (const screen of screens) {
    for (const appointmentId of booked) {
      const event = await screen.next({ timeoutMs: 5000 });
      expect(event.data?.patientAdded.appointment.id).toBe(appointmentId);
      firstCursor ||= event.data!.patientAdded.cursor;
      // The frame is here, so its row was committed before it was written to the socket.
      expect(await deliveryRows(appointmentId, doctor.id)).toBeGreaterThanOrEqual(1);
    }
  }
  for (const desk of desks)
    for (let i = 0; i < booked.length; i += 1) expect((await desk.next({ timeoutMs: 5000 })).errors).toBeUndefined();

  // One row per (event, user): 1 for the doctor's five screens, 1 for the desk's two.
  for (const appointmentId of booked) {
    expect(await deliveryRows(appointmentId, doctor.id)).toBe(1);
    expect(await deliveryRows(appointmentId, staff.id)).toBe(1);
  }
  // Rows per booking: the booking's own row plus one per receiving user (not one per socket: 1 + 7 before).
  const perBooking = await Promise.all(booked.map((id) => server.database.prisma.auditEvent.count({ where: { objectId: id } })));
  expect(perBooking).toEqual([3, 3, 3]);

  // A sixth screen replaying from the first event: the doctor already had these; no new rows.
  const replay = open<Added>(doctor.token, PATIENT_ADDED, { doctorId: doctor.id, after: firstCursor });
  for (const appointmentId of booked.slice(1))
    expect((await replay.next({ timeoutMs: 5000 })).data?.patientAdded.appointment.id).toBe(appointmentId);
  for (const appointmentId of booked) expect(await deliveryRows(appointmentId, doctor.id)).toBe(1);
});

it("writes the row of this instance's screens with the booking, so the event waits for no write of its own", async () => {
  const screens = [
    open<Added>(doctor.token, PATIENT_ADDED, { doctorId: doctor.id }),
    open<Added>(doctor.token, PATIENT_ADDED, { doctorId: doctor.id }),
  ];
  await waitForDoctorSubscribers(server, doctor.id, 2);
  const record = jest.spyOn(server.services.audit, 'record');
  try {
    const patient = await registerPatient(server);
    const result = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    const appointmentId = result.data!.bookAppointment.id;
    // Committed with the booking: there when its answer comes, before any screen has the event.
    expect(await deliveryRows(appointmentId, doctor.id)).toBe(1);
    for (const screen of screens) expect((await screen.next({ timeoutMs: 5000 })).data?.patientAdded.appointment.id).toBe(appointmentId);
    expect(await deliveryRows(appointmentId, doctor.id)).toBe(1);
    const writtenOnDelivery = record.mock.calls.filter(([, entries]) =>
      entries.some((entry) => entry.action === AuditAction.DeliverPatientAdded),
    );
    expect(writtenOnDelivery).toEqual([]);
  } finally {
    record.mockRestore();
  }
});

it("audits a patient's latest vitals inside replayed events once per (event, user), however many sockets replay them", async () => {
  const [first, patient] = await Promise.all([registerPatient(server), registerPatient(server)]);
  const live = open<Added>(doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
  await waitForDoctorSubscribers(server, doctor.id, 1);
  await book(server, first, { doctorId: doctor.id, startsAt: futureSlot() });
  const before = (await live.next({ timeoutMs: 5000 })).data!.patientAdded.cursor;
  await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await live.next({ timeoutMs: 5000 });
  const recorded = await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 64 } }, doctor.token);
  expect(recorded.errors).toBeUndefined();

  const WITH_VITALS = `subscription ($doctorId: ID!, $after: String) {
    patientAdded(doctorId: $doctorId, after: $after) { cursor patient { id latestVitals { heartRate } } } }`;
  type WithVitals = { patientAdded: { patient: { id: string; latestVitals: { heartRate: number } | null } } };
  // Three screens with different documents (no shared execution) replaying the booking.
  const screens = ['', ' ', '  '].map((pad) =>
    open<WithVitals>(doctor.token, WITH_VITALS.replace('cursor', `${pad}cursor`), { doctorId: doctor.id, after: before }),
  );
  for (const screen of screens) {
    const event = await screen.next({ timeoutMs: 5000 });
    expect(event.data?.patientAdded.patient).toEqual({ id: patient.id, latestVitals: { heartRate: 64 } });
  }
  const vitalsReads = await server.database.prisma.auditEvent.count({
    where: { patientId: patient.id, actorUserId: doctor.id, action: AuditAction.ReadVitals },
  });
  expect(vitalsReads).toBe(1);
});
