// The front desk's live streams on PostgreSQL + Redis with two instances: bookings (by patients
// and by staff on their behalf) and changes through either instance reach a desk connected to the
// other, in commit order per practice, none lost, none twice, and resume after a cursor.
import { decodeEventCursor } from '../../src/live/cursors';
import { practiceStream } from '../../src/live/streams';
import { futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { CANCEL, MY_APPOINTMENT_UPDATED, APPOINTMENT_UPDATED } from '../helpers/clinic';
import {
  CHECK_IN,
  createPractice,
  joinPractice,
  linkPatients,
  moveToEarlierToday,
  PRACTICE_APPOINTMENT_UPDATED,
  PRACTICE_PATIENT_ADDED,
  type TestPractice,
} from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitForPatientSubscribers, waitForSubscribers } from '../helpers/wait-for';
import { subscribe, type TestSubscription } from '../helpers/ws-client';

interface AddedData {
  practicePatientAdded: { cursor: string; doctorId: string; firstVisit: boolean; patient: { id: string }; appointment: { id: string } };
}
interface UpdatedData {
  practiceAppointmentUpdated: { cursor: string; change: string; appointment: { id: string; status: string } };
}

let instanceA: TestServer;
let instanceB: TestServer;
let practice: TestPractice;
let staff: TestAccount;
let doctors: TestAccount[];
const open: Array<TestSubscription<unknown>> = [];

function follow<T>(server: TestServer, query: string, variables: Record<string, unknown>, token = staff.token): TestSubscription<T> {
  const subscription = subscribe<T>(server.wsUrl, token, query, variables);
  open.push(subscription);
  return subscription;
}

async function take<T>(subscription: TestSubscription<T>, count: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += 1) {
    const result = await subscription.next({ timeoutMs: 10_000 });
    if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
    results.push(result.data);
  }
  return results;
}

beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([startTestServer('services'), startTestServer('services')]);
  practice = await createPractice(instanceA);
  staff = await joinPractice(instanceA, practice, 'STAFF');
  doctors = [await joinPractice(instanceA, practice, 'DOCTOR'), await joinPractice(instanceB, practice, 'DOCTOR')];
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
});
afterAll(async () => {
  await Promise.all([instanceA?.dispose(), instanceB?.dispose()]);
});

it('delivers every concurrent booking through both instances to a desk on instance A, in commit order, once each, and resumes after a cursor', async () => {
  const desk = follow<AddedData>(instanceA, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
  await waitForSubscribers(instanceA, practiceStream(practice.id));
  const patients = await Promise.all(Array.from({ length: 6 }, (_, i) => registerPatient(i % 2 ? instanceA : instanceB)));
  // Invited, not booked yet: staff may book for them, and the first booking is still each one's first visit.
  await linkPatients(instanceA, practice, patients);
  const slot = slotSeries();
  // 24 bookings at once: each patient books twice, staff book twice for each, with both doctors, through both instances.
  const booked = await Promise.all(
    Array.from({ length: 24 }, (_, i) => {
      const patient = patients[i % patients.length]!;
      const through = i % 2 ? instanceB : instanceA;
      const byStaff = i % 4 >= 2;
      const input = { doctorId: doctors[i % 2]!.id, startsAt: slot(i), ...(byStaff ? { patientId: patient.id } : {}) };
      return bookOrThrow(through, byStaff ? staff : patient, input);
    }),
  );
  const events = (await take(desk, booked.length)).map((data) => data.practicePatientAdded);
  expect(new Set(events.map((event) => event.appointment.id))).toEqual(new Set(booked));
  const seqs = events.map((event) => decodeEventCursor(event.cursor));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  // Commit order: the order of the practice's outbox stream.
  const stored = await instanceA.database.prisma.event.findMany({
    where: { stream: practiceStream(practice.id), topic: 'PRACTICE_PATIENT_ADDED' },
    orderBy: { seq: 'asc' },
    select: { seq: true },
  });
  expect(seqs).toEqual(stored.map((row) => Number(row.seq)));
  // One first visit per patient with the practice, whoever booked and with whichever doctor.
  expect(
    events
      .filter((event) => event.firstVisit)
      .map((event) => event.patient.id)
      .sort(),
  ).toEqual(patients.map((p) => p.id).sort());
  expect(desk.pending).toBe(0);

  // A desk resuming on instance B after the 10th event gets exactly the rest.
  const resumed = follow<AddedData>(instanceB, PRACTICE_PATIENT_ADDED, { practiceId: practice.id, after: events[9]!.cursor });
  const rest = (await take(resumed, events.length - 10)).map((data) => data.practicePatientAdded.appointment.id);
  expect(rest).toEqual(events.slice(10).map((event) => event.appointment.id));
});

it('shows a check-in live on the practice, the doctor and the patient streams, and a cancellation by staff after it', async () => {
  const patient = await registerPatient(instanceB);
  await linkPatients(instanceA, practice, [patient]);
  const doctor = doctors[0]!;
  const appointmentId = await bookOrThrow(instanceB, staff, {
    doctorId: doctor.id,
    patientId: patient.id,
    startsAt: futureSlot(),
    durationMinutes: 10,
  });
  await moveToEarlierToday(instanceA, appointmentId);
  const deskFeed = follow<UpdatedData>(instanceA, PRACTICE_APPOINTMENT_UPDATED, { practiceId: practice.id });
  const doctorFeed = follow<{ appointmentUpdated: { change: string; appointment: { id: string; status: string } } }>(
    instanceB,
    APPOINTMENT_UPDATED,
    { doctorId: doctor.id },
    doctor.token,
  );
  const patientFeed = follow<{ myAppointmentUpdated: { change: string; appointment: { id: string; status: string } } }>(
    instanceA,
    MY_APPOINTMENT_UPDATED,
    {},
    patient.token,
  );
  await Promise.all([
    waitForSubscribers(instanceA, practiceStream(practice.id)),
    waitForDoctorSubscribers(instanceB, doctor.id),
    waitForPatientSubscribers(instanceA, patient.id),
  ]);

  const checkIn = await instanceB.gql<{ checkInAppointment: { status: string } }>(CHECK_IN, { id: appointmentId }, staff.token);
  expect(checkIn.data?.checkInAppointment.status).toBe('CHECKED_IN');
  const cancel = await instanceA.gql(CANCEL, { id: appointmentId, reason: 'Left the waiting room' }, staff.token);
  expect(cancel.errors).toBeUndefined();

  const seen = (await take(deskFeed, 2)).map((data) => [
    data.practiceAppointmentUpdated.change,
    data.practiceAppointmentUpdated.appointment.status,
  ]);
  expect(seen).toEqual([
    ['CHECKED_IN', 'CHECKED_IN'],
    ['CANCELLED', 'CANCELLED'],
  ]);
  expect((await take(doctorFeed, 2)).map((data) => data.appointmentUpdated.change)).toEqual(['CHECKED_IN', 'CANCELLED']);
  expect((await take(patientFeed, 2)).map((data) => data.myAppointmentUpdated.change)).toEqual(['CHECKED_IN', 'CANCELLED']);
  const row = await instanceA.database.prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } });
  expect([row.createdById, row.cancelledById]).toEqual([staff.id, staff.id]);
});
