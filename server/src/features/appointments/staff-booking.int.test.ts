// Staff book only patients of their practice (issue 23): someone who booked with one of its
// doctors or accepted its invitation. Anyone else is the same FORBIDDEN, whether the id is
// unknown or another practice's patient, and nothing about that patient leaves the server: the
// original bug let a desk book any registered patient by id, which then gave that practice's
// doctor chart access to another practice's patient.
import { randomUUID } from 'node:crypto';
import { bookOrThrow } from '../../../test/helpers/bookings';
import { futureSlot, registerPatient, type TestAccount } from '../../../test/helpers/accounts';
import { PATIENT_RECORDS, PATIENT_VITALS } from '../../../test/helpers/clinic';
import { createPractice, joinPractice, type TestPractice } from '../../../test/helpers/practices';
import { startTestServer, type GqlResponse, type TestServer } from '../../../test/helpers/test-server';

const BOOK_FOR = `mutation ($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id status patient { id name dateOfBirth } } }`;

let server: TestServer;
let practiceA: TestPractice;
let staffA: TestAccount;
let doctorA: TestAccount;
let doctorB: TestAccount;

beforeAll(async () => {
  server = await startTestServer('services');
  practiceA = await createPractice(server);
  const practiceB = await createPractice(server);
  staffA = await joinPractice(server, practiceA, 'STAFF');
  doctorA = await joinPractice(server, practiceA, 'DOCTOR');
  doctorB = await joinPractice(server, practiceB, 'DOCTOR');
});
afterAll(async () => {
  await server.dispose();
});

const bookFor = (patientId: string): Promise<GqlResponse<{ bookAppointment: { id: string; patient: { id: string; name: string } } }>> =>
  server.gql(BOOK_FOR, { input: { doctorId: doctorA.id, patientId, startsAt: futureSlot() } }, staffA.token);

const codeOf = (response: GqlResponse<unknown>) => response.errors?.[0]?.extensions?.['code'] ?? (response.data ? 'OK' : 'NO DATA');

describe("staff booking for another practice's patient", () => {
  it('is FORBIDDEN with the same answer as an unknown or malformed id, and tells nothing about the patient', async () => {
    const theirs = await registerPatient(server, { dateOfBirth: '1971-02-03T00:00:00.000Z' });
    await bookOrThrow(server, theirs, { doctorId: doctorB.id, startsAt: futureSlot() });

    const known = await bookFor(theirs.id);
    const unknown = await bookFor(randomUUID());
    const malformed = await bookFor('not-an-id');

    expect(codeOf(known)).toBe('FORBIDDEN');
    for (const other of [unknown, malformed]) {
      expect(other.status).toBe(known.status);
      expect(other.data ?? null).toEqual(known.data ?? null);
      expect(other.errors?.map((error) => [error.message, error.extensions?.['code']])).toEqual(
        known.errors?.map((error) => [error.message, error.extensions?.['code']]),
      );
    }
    const body = JSON.stringify(known);
    expect(body).not.toContain(theirs.name);
    expect(body).not.toContain('1971-02-03');
    expect(body).not.toContain(theirs.id);
  });

  it('books a patient of the practice, and the refused booking gave its doctor no chart access to the other patient', async () => {
    const ours = await registerPatient(server);
    await bookOrThrow(server, ours, { doctorId: doctorA.id, startsAt: futureSlot() });
    const theirs = await registerPatient(server);
    await bookOrThrow(server, theirs, { doctorId: doctorB.id, startsAt: futureSlot() });

    const booked = await bookFor(ours.id);
    expect(codeOf(booked)).toBe('OK');
    expect(booked.data?.bookAppointment.patient).toMatchObject({ id: ours.id, name: ours.name });

    expect(codeOf(await bookFor(theirs.id))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(PATIENT_VITALS, { patientId: theirs.id }, doctorA.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(PATIENT_RECORDS, { patientId: theirs.id }, doctorA.token))).toBe('FORBIDDEN');
    expect(await server.database.prisma.appointment.count({ where: { patientId: theirs.id, doctorId: doctorA.id } })).toBe(0);
    expect(await server.database.prisma.practicePatient.count({ where: { practiceId: practiceA.id, patientId: theirs.id } })).toBe(0);
    // The patient of the practice: the doctor treats them now.
    expect(codeOf(await server.gql(PATIENT_VITALS, { patientId: ours.id }, doctorA.token))).toBe('OK');
  });
});
