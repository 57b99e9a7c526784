// Bounded admission over HTTP: past its limit the server refuses at once with 503 + Retry-After +
// RATE_LIMITED, instead of queueing; the booking it admitted still commits and its event arrives.
import { Client } from 'pg';
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { leftover } from '../helpers/leftovers';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { runDatabaseUrl } from '../helpers/test-env';
import { waitForDoctorSubscribers, waitUntil } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const PATIENT_ADDED = 'subscription ($d: ID!) { patientAdded(doctorId: $d) { appointment { id } } }';

describe('bounded admission', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services', { HTTP_MAX_IN_FLIGHT: '1', HTTP_MAX_QUEUED: '0' });
  });

  it('refuses a request beyond the limit at once with 503, Retry-After and RATE_LIMITED, and the admitted booking keeps its event', async () => {
    const [doctor, patient] = [await registerDoctor(server), await registerPatient(server)];
    const live = subscribe<{ patientAdded: { appointment: { id: string } } }>(server.wsUrl, doctor.token, PATIENT_ADDED, { d: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id, 1);

    // Another session holds the appointments table, so the booking below stays in flight.
    const blocker = new Client({ connectionString: runDatabaseUrl() });
    await blocker.connect();
    leftover(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE appointments IN EXCLUSIVE MODE');
    const booking = book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    // The booking is admitted and in flight once it waits on that lock.
    await waitUntil('the booking to wait on the lock', async () => {
      const { rows } = await blocker.query<{ waiting: string }>(
        "SELECT count(*) AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
      );
      return Number(rows[0]?.waiting) > 0;
    });

    const refused = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${doctor.token}` },
      body: JSON.stringify({ query: '{ doctors { id } }' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { data?: unknown; errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });

    await blocker.query('COMMIT');
    const booked = await booking;
    expect(booked.errors).toBeUndefined();
    const event = await live.next({ timeoutMs: 5000 });
    expect(event.data?.patientAdded.appointment.id).toBe(booked.data!.bookAppointment.id);

    // Once the busy request has finished, requests are admitted again.
    expect((await server.gql('{ doctors { id } }', {}, doctor.token)).status).toBe(200);
  });
});
