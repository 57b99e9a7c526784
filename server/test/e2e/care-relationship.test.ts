// The care relationship decided in one place (features/care): a doctor reads and writes a chart
// only while the patient has a BOOKED, CHECKED_IN or COMPLETED appointment with them, reads the
// records written in their own practice only, and only such doctors receive vitals events (live,
// and replayed with `after`: each event is checked again as it is sent).
import { futureSlot, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { ADD_RECORD, CANCEL, PATIENT_RECORDS, PATIENT_VITALS, RECORD_VITALS, VITALS_RECORDED } from '../helpers/clinic';
import {
  CHECK_IN,
  createPractice,
  joinPractice,
  MARK_NO_SHOW,
  moveToEarlierToday,
  PRACTICE_PATIENTS,
  type TestPractice,
} from '../helpers/practices';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

let server: TestServer;
let practice: TestPractice;
let otherPractice: TestPractice;

const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  response.errors?.[0]?.extensions?.['code'] ?? 'OK';
const readsVitals = async (doctor: TestAccount, patient: TestAccount) =>
  codeOf(await server.gql(PATIENT_VITALS, { patientId: patient.id }, doctor.token));

beforeAll(async () => {
  server = await startTestServer('services');
  practice = await createPractice(server);
  otherPractice = await createPractice(server);
});
afterAll(async () => {
  await server.dispose();
});

it('ends access when the only booking is cancelled or a no-show, and gives it while checked in or completed', async () => {
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  const patient = await registerPatient(server);
  const first = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  expect(await readsVitals(doctor, patient)).toBe('OK');
  await server.gql(CANCEL, { id: first }, patient.token);
  expect(await readsVitals(doctor, patient)).toBe('FORBIDDEN');
  expect(codeOf(await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 60 } }, doctor.token))).toBe('FORBIDDEN');

  const second = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
  await moveToEarlierToday(server, second);
  expect(codeOf(await server.gql(MARK_NO_SHOW, { id: second }, doctor.token))).toBe('OK');
  expect(await readsVitals(doctor, patient)).toBe('FORBIDDEN');

  const third = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
  await moveToEarlierToday(server, third);
  expect(codeOf(await server.gql(CHECK_IN, { id: third }, doctor.token))).toBe('OK');
  expect(await readsVitals(doctor, patient)).toBe('OK');
  // The patient list is history: it still shows them, whatever the status.
  const list = await server.gql<{ doctorPatients: { totalCount: number } }>(
    'query ($d: ID!) { doctorPatients(doctorId: $d) { totalCount } }',
    { d: doctor.id },
    doctor.token,
  );
  expect(list.data?.doctorPatients.totalCount).toBe(1);
});

it('shows a doctor only the records written in their own practice; the patient sees them all', async () => {
  const patient = await registerPatient(server);
  const here = await joinPractice(server, practice, 'DOCTOR');
  const colleague = await joinPractice(server, practice, 'DOCTOR');
  const elsewhere = await joinPractice(server, otherPractice, 'DOCTOR');
  for (const doctor of [here, colleague, elsewhere]) {
    await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    const added = await server.gql(ADD_RECORD, { patientId: patient.id, input: { diagnosis: `by ${doctor.name}` } }, doctor.token);
    expect(codeOf(added)).toBe('OK');
  }
  const diagnoses = async (viewer: TestAccount) => {
    const result = await server.gql<{ patientMedicalRecords: Array<{ diagnosis: string }> }>(
      PATIENT_RECORDS,
      { patientId: patient.id },
      viewer.token,
    );
    return result.data!.patientMedicalRecords.map((record) => record.diagnosis).sort();
  };
  expect(await diagnoses(here)).toEqual([`by ${colleague.name}`, `by ${here.name}`].sort());
  expect(await diagnoses(elsewhere)).toEqual([`by ${elsewhere.name}`]);
  expect(await diagnoses(patient)).toHaveLength(3);
});

it('sends vitals events only to doctors who treat the patient now', async () => {
  const patient = await registerPatient(server);
  const current = await joinPractice(server, practice, 'DOCTOR');
  const former = await joinPractice(server, practice, 'DOCTOR');
  await bookOrThrow(server, patient, { doctorId: current.id, startsAt: futureSlot() });
  const cancelled = await bookOrThrow(server, patient, { doctorId: former.id, startsAt: futureSlot() });
  await server.gql(CANCEL, { id: cancelled }, patient.token);
  const formerFeed = subscribe(server.wsUrl, former.token, VITALS_RECORDED, { doctorId: former.id });
  const currentFeed = subscribe<{ vitalsRecorded: { patient: { id: string } } }>(server.wsUrl, current.token, VITALS_RECORDED, {
    doctorId: current.id,
  });
  try {
    await Promise.all([waitForDoctorSubscribers(server, former.id), waitForDoctorSubscribers(server, current.id)]);
    expect(codeOf(await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 80 } }, current.token))).toBe('OK');
    expect((await currentFeed.next()).data?.vitalsRecorded.patient.id).toBe(patient.id);
    const stored = await server.database.prisma.event.count({ where: { stream: `doctor:${former.id}`, topic: 'VITALS_RECORDED' } });
    expect(stored).toBe(0);
    expect(formerFeed.pending).toBe(0);
  } finally {
    await Promise.all([formerFeed.dispose(), currentFeed.dispose()]);
  }
});

it('does not replay (after) vitals recorded while the doctor treated the patient once the relationship ended', async () => {
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  const [former, still] = await Promise.all([registerPatient(server), registerPatient(server)]);
  const ending = await bookOrThrow(server, former, { doctorId: doctor.id, startsAt: futureSlot() });
  await bookOrThrow(server, still, { doctorId: doctor.id, startsAt: futureSlot() });
  type Recorded = { vitalsRecorded: { cursor: string; patient: { id: string }; vitals: { id: string } } };
  const live = subscribe<Recorded>(server.wsUrl, doctor.token, VITALS_RECORDED, { doctorId: doctor.id });
  let cursor: string;
  try {
    await waitForDoctorSubscribers(server, doctor.id);
    expect(codeOf(await server.gql(RECORD_VITALS, { patientId: former.id, input: { heartRate: 70 } }, doctor.token))).toBe('OK');
    cursor = (await live.next()).data!.vitalsRecorded.cursor;
  } finally {
    await live.dispose();
  }
  // Recorded while the doctor treats them, then the only booking is cancelled: the relationship ends.
  const whileTreated = await server.gql<{ recordVitals: { id: string } }>(
    RECORD_VITALS,
    { patientId: former.id, input: { heartRate: 71 } },
    doctor.token,
  );
  await server.gql(CANCEL, { id: ending }, former.token);
  expect(codeOf(await server.gql(RECORD_VITALS, { patientId: still.id, input: { heartRate: 72 } }, doctor.token))).toBe('OK');

  const replay = subscribe<Recorded>(server.wsUrl, doctor.token, VITALS_RECORDED, { doctorId: doctor.id, after: cursor });
  try {
    // The event of the former patient is skipped; the next one (a patient still treated) arrives.
    expect((await replay.next()).data?.vitalsRecorded.patient.id).toBe(still.id);
    expect(replay.pending).toBe(0);
  } finally {
    await replay.dispose();
  }
  const delivered = await server.database.prisma.auditEvent.count({
    where: { objectId: whileTreated.data!.recordVitals.id, action: 'event.vitalsRecorded' },
  });
  expect(delivered).toBe(0);
});

it('finds practice patients by name, email and date of birth, pages them, and books for one', async () => {
  const staff = await joinPractice(server, practice, 'STAFF');
  const doctor = await joinPractice(server, practice, 'DOCTOR');
  const tag = `Zed${Date.now().toString(36)}`;
  const patients = [
    await registerPatient(server, { name: `${tag} Alpha`, dateOfBirth: '1971-02-03T00:00:00.000Z' }),
    await registerPatient(server, { name: `${tag} Beta` }),
  ];
  for (const patient of patients) await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  const search = async (text: string, first = 50, after?: string) => {
    const result = await server.gql<{
      practicePatients: {
        totalCount: number;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        edges: Array<{ node: { id: string } }>;
      };
    }>(PRACTICE_PATIENTS, { practiceId: practice.id, search: text, first, after }, staff.token);
    return result.data!.practicePatients;
  };
  expect((await search(tag.toLowerCase())).totalCount).toBe(2);
  expect((await search('1971-02-03')).edges.map((edge) => edge.node.id)).toContain(patients[0]!.id);
  expect((await search(patients[1]!.email.toUpperCase())).edges.map((edge) => edge.node.id)).toEqual([patients[1]!.id]);
  const page = await search(tag, 1);
  expect(page.pageInfo.hasNextPage).toBe(true);
  const next = await search(tag, 1, page.pageInfo.endCursor!);
  expect([...page.edges, ...next.edges].map((edge) => edge.node.id).sort()).toEqual(patients.map((p) => p.id).sort());

  const id = await bookOrThrow(server, staff, {
    doctorId: doctor.id,
    patientId: patients[1]!.id,
    startsAt: futureSlot(),
    idempotencyKey: 'desk-1',
  });
  const repeat = await bookOrThrow(server, staff, {
    doctorId: doctor.id,
    patientId: patients[1]!.id,
    startsAt: futureSlot(),
    idempotencyKey: 'desk-1',
  }).catch((error: Error) => error.message);
  expect(repeat).toMatch(/CONFLICT/);
  const mine = await server.gql<{ me: { patient: { appointments: Array<{ id: string }> } } }>(
    '{ me { patient { appointments { id } } } }',
    {},
    patients[1]!.token,
  );
  expect(mine.data!.me.patient.appointments.map((appointment) => appointment.id)).toContain(id);
});
