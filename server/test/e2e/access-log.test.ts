// myAccessLog: a patient sees who else read or changed their data, newest first, paged.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { PATIENT_VITALS, RECORD_VITALS } from '../helpers/clinic';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
// The server's clock: the real one, or held still (the DENIED bound counts minutes).
let heldAt: Date | undefined;
beforeAll(async () => {
  server = await startTestServer('services', {}, { clock: () => heldAt ?? new Date() });
});
afterAll(async () => {
  await server.dispose();
});

type Entry = { at: string; actorName: string; actorRole: string; action: string; outcome: string; count: number; cursor: string };
const LOG =
  'query ($first: Int, $after: String) { myAccessLog(first: $first, after: $after) { at actorName actorRole action outcome count cursor } }';

it("shows the patient who else read or changed their data, newest first, without the patient's own actions", async () => {
  const doctor = await registerDoctor(server);
  const patient = await registerPatient(server);
  await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 64 } }, doctor.token);
  await server.gql(PATIENT_VITALS, { patientId: patient.id }, doctor.token);
  await server.gql(PATIENT_VITALS, { patientId: patient.id }, patient.token);

  const log = await server.gql<{ myAccessLog: Entry[] }>(LOG, {}, patient.token);
  expect(log.data?.myAccessLog.map(({ actorName, actorRole, action, outcome }) => ({ actorName, actorRole, action, outcome }))).toEqual([
    { actorName: doctor.name, actorRole: 'DOCTOR', action: 'vitals.read', outcome: 'SUCCESS' },
    { actorName: doctor.name, actorRole: 'DOCTOR', action: 'vitals.record', outcome: 'SUCCESS' },
  ]);

  const firstPage = await server.gql<{ myAccessLog: Entry[] }>(LOG, { first: 1 }, patient.token);
  const next = await server.gql<{ myAccessLog: Entry[] }>(LOG, { first: 1, after: firstPage.data!.myAccessLog[0]!.cursor }, patient.token);
  expect(next.data?.myAccessLog.map((entry) => entry.action)).toEqual(['vitals.record']);
});

it('is for patients only, and refuses a cursor that is not one of ours', async () => {
  const doctor = await registerDoctor(server);
  const patient = await registerPatient(server);
  expect((await server.gql(LOG, {}, doctor.token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  expect((await server.gql(LOG, {}, undefined)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  expect((await server.gql(LOG, { after: 'bogus' }, patient.token)).errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
});

it('never names another patient, and shows one line per person and action for refused attempts, with their count', async () => {
  const doctor = await registerDoctor(server);
  const stranger = await registerDoctor(server);
  const [alice, bob] = await Promise.all([registerPatient(server), registerPatient(server)]);
  await book(server, alice, { doctorId: doctor.id, startsAt: futureSlot() });
  // Bob tries to read Alice's vitals 30 times within a minute (each refused; one row written: the
  // DENIED bound), then once more a minute later (a second row); a stranger doctor once.
  heldAt = new Date();
  for (let attempt = 0; attempt < 30; attempt += 1) {
    expect((await server.gql(PATIENT_VITALS, { patientId: alice.id }, bob.token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  }
  heldAt = new Date(heldAt.getTime() + 61_000);
  expect((await server.gql(PATIENT_VITALS, { patientId: alice.id }, bob.token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  heldAt = undefined;
  await server.gql(PATIENT_VITALS, { patientId: alice.id }, stranger.token);
  await server.gql(PATIENT_VITALS, { patientId: alice.id }, doctor.token);

  const log = await server.gql<{ myAccessLog: Entry[] }>(LOG, { first: 3 }, alice.token);
  expect(
    log.data?.myAccessLog.map(({ actorName, actorRole, action, outcome, count }) => ({ actorName, actorRole, action, outcome, count })),
  ).toEqual([
    { actorName: doctor.name, actorRole: 'DOCTOR', action: 'vitals.read', outcome: 'SUCCESS', count: 1 },
    { actorName: stranger.name, actorRole: 'DOCTOR', action: 'vitals.read', outcome: 'DENIED', count: 1 },
    { actorName: 'Another patient', actorRole: 'PATIENT', action: 'vitals.read', outcome: 'DENIED', count: 2 },
  ]);
  expect(JSON.stringify(log)).not.toContain(bob.name);
  // Nothing else is about Alice (her own booking is left out): the flood took one line, not pages.
  const next = await server.gql<{ myAccessLog: Entry[] }>(LOG, { first: 3, after: log.data!.myAccessLog[2]!.cursor }, alice.token);
  expect(next.data?.myAccessLog).toEqual([]);
});
