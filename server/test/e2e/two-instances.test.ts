// Several instances share events through Redis: a booking made through instance B reaches the
// dashboard connected to instance A.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

let instanceA: TestServer;
let instanceB: TestServer;

beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([startTestServer('services'), startTestServer('services')]);
});
afterAll(async () => {
  await Promise.all([instanceA.dispose(), instanceB.dispose()]);
});

it('delivers a booking made through instance B to a dashboard on instance A', async () => {
  const doctor = await registerDoctor(instanceA);
  const patient = await registerPatient(instanceB);
  const dashboard = subscribe<{ patientAdded: { patient: { id: string }; appointment: { id: string } } }>(
    instanceA.wsUrl,
    doctor.token,
    'subscription ($d: ID!) { patientAdded(doctorId: $d) { patient { id } appointment { id } } }',
    { d: doctor.id },
  );
  await waitForDoctorSubscribers(instanceA, doctor.id);
  const booked = await book(instanceB, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  const event = await dashboard.next({ timeoutMs: 5000 });
  expect(event.data?.patientAdded).toEqual({ patient: { id: patient.id }, appointment: { id: booked.data!.bookAppointment.id } });
});
