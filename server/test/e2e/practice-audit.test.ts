// The practice side of the audit trail over GraphQL: an admin lists what the practice's people read
// or changed, by patient and time range, and every entry names the actor's practice (also in the
// patient's own access log). Anyone but an admin of that practice is refused.
import { book, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { PATIENT_VITALS, RECORD_VITALS } from '../helpers/clinic';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services');
});

type Entry = { actorName: string; action: string; practice: { id: string; name: string } | null };
const PRACTICE_AUDIT = `query ($p: ID!, $patient: ID, $from: DateTimeISO, $to: DateTimeISO) {
  practiceAuditEvents(practiceId: $p, patientId: $patient, from: $from, to: $to) { actorName action practice { id name } } }`;
const MY_LOG = '{ myAccessLog { actorName action practice { id name } } }';

/** The one-doctor practice a self-registered doctor is the admin of. */
async function practiceOf(doctor: TestAccount): Promise<{ id: string; name: string }> {
  const me = await server.gql<{ me: { adminOf: Array<{ id: string; name: string }> } }>('{ me { adminOf { id name } } }', {}, doctor.token);
  return me.data!.me.adminOf[0]!;
}

it("lists the practice's audit events for its admin, by patient and time range, each naming the actor's practice", async () => {
  const [doctor, patient, other] = [await registerDoctor(server), await registerPatient(server), await registerPatient(server)];
  const practice = await practiceOf(doctor);
  const started = new Date();
  await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await book(server, other, { doctorId: doctor.id, startsAt: futureSlot() });
  await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 64 } }, doctor.token);
  await server.gql(PATIENT_VITALS, { patientId: patient.id }, doctor.token);
  await server.gql(PATIENT_VITALS, { patientId: other.id }, doctor.token);

  const forPatient = await server.gql<{ practiceAuditEvents: Entry[] }>(
    PRACTICE_AUDIT,
    { p: practice.id, patient: patient.id },
    doctor.token,
  );
  expect(forPatient.errors).toBeUndefined();
  expect(forPatient.data!.practiceAuditEvents).toEqual([
    { actorName: doctor.name, action: 'vitals.read', practice },
    { actorName: doctor.name, action: 'vitals.record', practice },
  ]);
  const before = await server.gql<{ practiceAuditEvents: Entry[] }>(
    PRACTICE_AUDIT,
    { p: practice.id, to: started.toISOString() },
    doctor.token,
  );
  expect(before.data!.practiceAuditEvents).toEqual([]);

  const mine = await server.gql<{ myAccessLog: Entry[] }>(MY_LOG, {}, patient.token);
  expect(mine.data!.myAccessLog[0]).toEqual({ actorName: doctor.name, action: 'vitals.read', practice });
});

it('refuses everyone but an admin of that practice', async () => {
  const [doctor, otherDoctor, patient] = [await registerDoctor(server), await registerDoctor(server), await registerPatient(server)];
  const practice = await practiceOf(doctor);
  const code = async (token: string | undefined) =>
    (await server.gql(PRACTICE_AUDIT, { p: practice.id }, token)).errors?.[0]?.extensions?.['code'];
  expect(await code(otherDoctor.token)).toBe('FORBIDDEN');
  expect(await code(patient.token)).toBe('FORBIDDEN');
  expect(await code(undefined)).toBe('UNAUTHENTICATED');
});
