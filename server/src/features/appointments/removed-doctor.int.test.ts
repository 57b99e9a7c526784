// A doctor removed from their practice (account deactivated, issue 23) is no longer bookable: the
// directory leaves them out, availableSlots and doctorAvailability answer as for an unknown
// doctor, and bookAppointment refuses them with that same NOT_FOUND, also for a patient who
// booked them before. Their past appointments still name them.
import { randomUUID } from 'node:crypto';
import { bookOrThrow } from '../../../test/helpers/bookings';
import { futureSlot, registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { AVAILABILITY, SLOTS } from '../../../test/helpers/clinic';
import { createPractice, joinPractice, type TestPractice } from '../../../test/helpers/practices';
import { startTestServer, type GqlResponse, type TestServer } from '../../../test/helpers/test-server';

const BOOK = 'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
const REMOVE = 'mutation ($p: ID!, $u: ID!) { removeMember(practiceId: $p, userId: $u) }';
const DOCTORS = '{ doctors { id } }';
const MY_APPOINTMENTS = '{ me { patient { appointments { id doctor { id name } } } } }';

let server: TestServer;
let practice: TestPractice;
let patient: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services');
  practice = await createPractice(server);
  patient = await registerPatient(server);
});
afterAll(async () => {
  await server.dispose();
});

const answer = (response: GqlResponse<unknown>) => [response.errors?.[0]?.extensions?.['code'] ?? 'OK', response.errors?.[0]?.message];

it('refuses to book, list or offer slots of a removed doctor, as for an unknown one, and keeps their past appointments', async () => {
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  const earlier = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  const from = futureSlot();
  const slots = (doctorId: string) =>
    server.gql(SLOTS, { doctorId, from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() }, patient.token);
  expect(answer(await slots(doctor.id))[0]).toBe('OK');

  expect(answer(await server.gql(REMOVE, { p: practice.id, u: doctor.id }, practice.admin.token))[0]).toBe('OK');

  const unknownId = randomUUID();
  const unknownBooking = answer(await server.gql(BOOK, { input: { doctorId: unknownId, startsAt: futureSlot() } }, patient.token));
  expect(unknownBooking[0]).toBe('NOT_FOUND');
  expect(answer(await server.gql(BOOK, { input: { doctorId: doctor.id, startsAt: futureSlot() } }, patient.token))).toEqual(unknownBooking);
  expect(answer(await slots(doctor.id))).toEqual(answer(await slots(unknownId)));
  expect(answer(await slots(doctor.id))[0]).toBe('NOT_FOUND');
  expect(answer(await server.gql(AVAILABILITY, { doctorId: doctor.id }, patient.token))[0]).toBe('NOT_FOUND');
  const directory = await server.gql<{ doctors: Array<{ id: string }> }>(DOCTORS, {}, patient.token);
  expect(directory.data!.doctors.map((listed) => listed.id)).not.toContain(doctor.id);

  const mine = await server.gql<{ me: { patient: { appointments: Array<{ id: string; doctor: { id: string; name: string } }> } } }>(
    MY_APPOINTMENTS,
    {},
    patient.token,
  );
  expect(mine.data!.me.patient.appointments.find((appointment) => appointment.id === earlier)?.doctor).toEqual({
    id: doctor.id,
    name: doctor.name,
  });
});
