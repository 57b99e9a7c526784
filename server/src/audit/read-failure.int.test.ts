// Nothing leaves unaudited: when the audit row of a read cannot be written, the read fails with
// INTERNAL_SERVER_ERROR and an error id that the log names, and the patient's data is not sent.
import { book, futureSlot, registerDoctor, registerPatient } from '../../test/helpers/accounts';
import { RECORD_VITALS } from '../../test/helpers/clinic';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { createLogger } from '../platform/logger';

const lines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
  server = await startTestServer('services', {}, { logger });
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  await server.dispose();
});

const SCHEDULE = `query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  doctorSchedule(doctorId: $d, from: $from, to: $to) { id reason patient { id name latestVitals { heartRate } } } }`;

async function scene() {
  const [doctor, patient] = await Promise.all([registerDoctor(server), registerPatient(server)]);
  const startsAt = futureSlot();
  await book(server, patient, { doctorId: doctor.id, startsAt, reason: 'Depression relapse' });
  await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 131 } }, doctor.token);
  const range = {
    from: new Date(startsAt.getTime() - 3_600_000).toISOString(),
    to: new Date(startsAt.getTime() + 3_600_000).toISOString(),
  };
  return { doctor, patient, variables: { d: doctor.id, ...range } };
}

it('fails the read with INTERNAL_SERVER_ERROR and a logged error id when its audit row cannot be written', async () => {
  const { doctor, variables } = await scene();
  jest.spyOn(server.services.audit, 'record').mockRejectedValueOnce(new Error('audit write failed: database unavailable'));
  const result = await server.gql(SCHEDULE, variables, doctor.token);
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  const extensions = result.errors![0]!.extensions!;
  expect(extensions['code']).toBe('INTERNAL_SERVER_ERROR');
  expect(extensions['errorId']).toEqual(expect.any(String));
  expect(JSON.stringify(result)).not.toContain('Depression');
  expect(lines.some((line) => line.includes(String(extensions['errorId'])) && line.includes('audit write failed'))).toBe(true);
});

it("fails a nested latestVitals the same way: the schedule's rows commit, the vitals stay on the server", async () => {
  const { doctor, variables } = await scene();
  const record = server.services.audit.record.bind(server.services.audit);
  // The schedule's row is written; the vitals' row (the second write of this request) fails.
  jest
    .spyOn(server.services.audit, 'record')
    .mockImplementationOnce(record)
    .mockRejectedValueOnce(new Error('audit write failed: database unavailable'));
  const result = await server.gql<{ doctorSchedule: Array<{ patient: { latestVitals: unknown } }> }>(SCHEDULE, variables, doctor.token);
  expect(result.data?.doctorSchedule[0]?.patient.latestVitals).toBeNull();
  expect(result.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
  // The value as JSON would carry it: a bare 131 can be part of an id or the error id (it was).
  expect(JSON.stringify(result)).not.toMatch(/heartRate|:131\b/);
});
