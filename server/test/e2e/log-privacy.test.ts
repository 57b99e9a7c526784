// What a clinic's logs must never hold: passwords, tokens, vitals, diagnoses. The flows of the
// e2e suite (sign-in with the demo password, register, book, record vitals and records, live
// subscriptions, refusals) run against a server logging at trace level into memory; then every
// captured line is searched for each secret and health value.
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.seed';
import { createLogger } from '../../src/platform/logger';
import { book, registerDoctor, registerPatient, TEST_PASSWORD } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { ADD_RECORD, RECORD_VITALS, VITALS_RECORDED } from '../helpers/clinic';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const lines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  const logger = createLogger({ logLevel: 'trace' }, { write: (line: string) => void lines.push(line) });
  server = await startTestServer('services', { SEED_DEMO: 'true', LOG_LEVEL: 'trace' }, { logger });
});
afterAll(async () => {
  await server.dispose();
});

it('logs no password, token, vitals value or record text while the e2e flows run', async () => {
  const secrets: string[] = [DEMO_PASSWORD, TEST_PASSWORD];
  const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
  const demoLogin = await server.gql<{ login: { token: string } }>(LOGIN, { e: 'dr.chen@careline.demo', p: DEMO_PASSWORD });
  expect(demoLogin.data?.login.token).toBeTruthy();
  secrets.push(demoLogin.data!.login.token);
  await server.gql(LOGIN, { e: 'dr.chen@careline.demo', p: 'a wrong password, also secret' });
  secrets.push('a wrong password, also secret');

  const doctor = await registerDoctor(server);
  const patient = await registerPatient(server);
  secrets.push(doctor.token, patient.token);
  const vitalsFeed = subscribe(server.wsUrl, doctor.token, VITALS_RECORDED, { doctorId: doctor.id });
  try {
    await waitForDoctorSubscribers(server, doctor.id);
    const slot = slotSeries();
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: slot(0), reason: 'Private reason 7f3a' });
    expect(booked.errors).toBeUndefined();
    secrets.push('Private reason 7f3a');
    const vitals = { heartRate: 173, systolic: 187, diastolic: 119, temperatureC: 38.7, spo2Percent: 91 };
    const recorded = await server.gql(RECORD_VITALS, { patientId: patient.id, input: vitals }, doctor.token);
    expect(recorded.errors).toBeUndefined();
    await vitalsFeed.next({ timeoutMs: 5000 });
    const diagnosis = `Diagnosis ${randomUUID()}`;
    const notes = `Notes ${randomUUID()}`;
    expect(
      (await server.gql(ADD_RECORD, { patientId: patient.id, input: { diagnosis, notes, icd10Code: 'I10' } }, doctor.token)).errors,
    ).toBeUndefined();
    secrets.push(diagnosis, notes);
    // Refusals log too: a forbidden read, bad input, an attack refused by the limits.
    await server.gql(
      'query ($p: ID!) { patientVitals(patientId: $p) { heartRate } }',
      { p: patient.id },
      (await registerDoctor(server)).token,
    );
    await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 999 } }, doctor.token);
    await server.gql('{ me { patient { appointments { patient { appointments { id } } } } } }', {}, patient.token);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
    // Numbers are searched in the lines without their clock readings (a 187 ms request is no vitals value).
    const withoutTimings = lines
      .map((line) =>
        JSON.stringify(JSON.parse(line) as Record<string, unknown>, (key, item: unknown) =>
          ['time', 'durationMs', 'pid'].includes(key) ? undefined : item,
        ),
      )
      .join('\n');
    for (const [field, value] of Object.entries(vitals)) {
      expect(log).not.toMatch(new RegExp(`"${field}"`));
      expect(withoutTimings).not.toMatch(new RegExp(`[:\\[,]${String(value).replace('.', '\\.')}[,\\]}]`));
    }
    // Every line written while serving a request carries its id (one debug line per request at least).
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['msg'] === 'graphql request');
    expect(requestLines.length).toBeGreaterThanOrEqual(10);
    for (const line of requestLines) expect(line['requestId']).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  } finally {
    await vitalsFeed.dispose();
  }
});
