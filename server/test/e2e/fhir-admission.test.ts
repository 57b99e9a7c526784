// /fhir/R4 shares /graphql's bounded admission (HTTP_MAX_IN_FLIGHT): while a GraphQL booking holds
// the only place, a FHIR request is refused at once with 503, Retry-After and an OperationOutcome
// (`transient`), and is served again once the place is free.
import type { OperationOutcome } from '@medplum/fhirtypes';
import { Client } from 'pg';
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { expectValid } from '../helpers/fhir';
import { leftover } from '../helpers/leftovers';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { runDatabaseUrl } from '../helpers/test-env';
import { waitUntil } from '../helpers/wait-for';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services', { HTTP_MAX_IN_FLIGHT: '1', HTTP_MAX_QUEUED: '0' });
});
afterAll(async () => {
  await server.dispose();
});

it('refuses a FHIR request beyond the shared limit with 503 transient and Retry-After, then serves it again', async () => {
  const [doctor, patient] = [await registerDoctor(server), await registerPatient(server)];
  // Another session holds the appointments table, so the booking below stays in flight.
  const blocker = new Client({ connectionString: runDatabaseUrl() });
  await blocker.connect();
  leftover(() => blocker.end());
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE appointments IN EXCLUSIVE MODE');
  const booking = book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
  await waitUntil('the booking to wait on the lock', async () => {
    const { rows } = await blocker.query<{ waiting: string }>(
      "SELECT count(*) AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
    );
    return Number(rows[0]?.waiting) > 0;
  });

  const practitioner = () =>
    fetch(`${server.url}/fhir/R4/Practitioner/${doctor.id}`, { headers: { authorization: `Bearer ${patient.token}` } });
  const refused = await practitioner();
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(refused.headers.get('content-type')).toContain('application/fhir+json');
  const outcome = (await refused.json()) as OperationOutcome;
  expectValid(outcome);
  expect(outcome.issue[0]).toMatchObject({ code: 'transient', diagnostics: expect.any(String) });

  await blocker.query('COMMIT');
  expect((await booking).errors).toBeUndefined();
  expect((await practitioner()).status).toBe(200);
});
