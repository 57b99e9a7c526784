// Delivery guarantees under faults (issue 5), each with its own instances and, for Redis, its own
// redis-server process: an instance killed mid-stream (and the audit rows of what it had sent), a
// Redis outage, many instances and dashboards at once, and a SIGTERM drain. Every dashboard must
// see its doctor's events exactly once, in sequence order; the counts of lost and duplicated
// events are printed for the record, before the assertions, so a failing run shows them too.
import { Client } from 'pg';
import { AuditAction } from '../../src/audit/audit-entry';
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { startChildServer } from '../helpers/child-server';
import { leftover } from '../helpers/leftovers';
import { Dashboard, seqsUpTo } from '../helpers/dashboard';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';

/** Lost and duplicated events of one dashboard, against the appointments booked with its doctor. */
function tally(dashboard: Dashboard, booked: readonly string[]) {
  const seen = dashboard.seen.map((event) => event.appointmentId);
  const lost = booked.filter((id) => !seen.includes(id)).length;
  const duplicated = seen.length - new Set(seen).size;
  return { lost, duplicated };
}

function expectExactlyOnceInOrder(dashboard: Dashboard, booked: readonly string[]): void {
  expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(booked.length));
  expect(dashboard.seen.map((event) => event.appointmentId).sort()).toEqual([...booked].sort());
  expect(dashboard.seen.every((event) => event.doctorId === dashboard.doctorId)).toBe(true);
  expect(dashboard.errors).toEqual([]);
}

/**
 * `count` bookings of `patient` with the doctor, committed on `server` one after another from now
 * on: `booked` fills with their ids as they commit, `done` resolves once all have.
 */
function bookOneAfterAnother(server: Pick<TestServer, 'gql'>, patient: TestAccount, doctorId: string, count: number) {
  const slot = slotSeries();
  const booked: string[] = [];
  const done = (async () => {
    for (let i = 0; i < count; i += 1) booked.push(await bookOrThrow(server, patient, { doctorId, startsAt: slot(i) }));
  })();
  return { booked, done };
}

describe('delivery under faults', () => {
  // A deployment of its own: this Redis and this database. Instances on the run's shared database
  // but another Redis would sweep each other's events into a pub/sub the others do not hear.
  let redis: OwnRedis;
  let database: OwnDatabase;
  let databaseUrl: string;

  beforeAll(async () => {
    redis = await startOwnRedis();
    database = await createOwnDatabase('careline_test_faults');
    databaseUrl = database.url;
  });
  // Instances, dashboards and connections a test starts are disposed after it (helpers/leftovers.ts).
  afterAll(async () => {
    await redis.dispose();
    await database.drop();
  });

  const child = (env: Record<string, string> = {}) => startChildServer({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl, ...env });
  const dashboardFor = (doctor: TestAccount) => new Dashboard(doctor.id, doctor.token);

  it("resumes on another instance after the dashboard's instance is killed with SIGKILL mid-stream, nothing lost or repeated", async () => {
    const [doomed, survivor] = await Promise.all([child(), child()]);
    const doctor = await registerDoctor(survivor);
    const patient = await registerPatient(survivor);
    const dashboard = dashboardFor(doctor);
    dashboard.connect(doomed.wsUrl);

    const { booked, done: bookings } = bookOneAfterAnother(survivor, patient, doctor.id, 30);
    await dashboard.waitForCount(10);
    doomed.kill('SIGKILL');
    expect((await dashboard.closed).code).toBe(1006); // abnormal closure: no goodbye from a killed process
    dashboard.connect(survivor.wsUrl); // resumes after the last cursor it processed
    await bookings;
    await dashboard.waitForCount(30);

    console.info(`[SIGKILL] ${JSON.stringify(tally(dashboard, booked))} of ${booked.length} events`);
    expectExactlyOnceInOrder(dashboard, booked);
  });

  it('leaves no frame received without its audit row when the instance is killed with SIGKILL mid-fan-out', async () => {
    const [doomed, survivor] = await Promise.all([child(), child()]);
    const doctor = await registerDoctor(survivor);
    const patient = await registerPatient(survivor);
    // Five screens of one doctor on the instance to be killed; the bookings commit on the other,
    // so the doomed instance writes each delivery's row itself, on arrival, before its frames.
    const screens = Array.from({ length: 5 }, () => dashboardFor(doctor));
    for (const screen of screens) screen.connect(doomed.wsUrl);

    const { done: bookings } = bookOneAfterAnother(survivor, patient, doctor.id, 30);
    await screens[0]!.waitForCount(10);
    doomed.kill('SIGKILL');
    await Promise.all(screens.map((screen) => screen.closed));
    await bookings;

    const received = [...new Set(screens.flatMap((screen) => screen.seen.map((event) => event.appointmentId)))];
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = await db.query<{ object_id: string }>(
        'SELECT DISTINCT object_id FROM audit_events WHERE actor_user_id = $1 AND action = $2 AND object_id = ANY($3::text[])',
        [doctor.id, AuditAction.DeliverPatientAdded, received],
      );
      const audited = new Set(rows.rows.map((row) => row.object_id));
      const withoutRow = received.filter((id) => !audited.has(id));
      console.info(`[SIGKILL mid-fan-out] ${received.length} appointments received, ${withoutRow.length} without a row`);
      expect(received.length).toBeGreaterThanOrEqual(10);
      expect(withoutRow).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('delivers every booking made while Redis was down exactly once after it returns', async () => {
    const quiet = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, LOG_LEVEL: 'fatal' };
    const [first, second] = await Promise.all([startTestServer('services', quiet), startTestServer('services', quiet)]);
    const doctor = await registerDoctor(first);
    const patients = await Promise.all([registerPatient(first), registerPatient(second)]);
    const slot = slotSeries();
    const dashboards = [dashboardFor(doctor), dashboardFor(doctor)];
    dashboards[0]!.connect(first.wsUrl);
    dashboards[1]!.connect(second.wsUrl);
    await Promise.all([waitForDoctorSubscribers(first, doctor.id), waitForDoctorSubscribers(second, doctor.id)]);

    const booked: string[] = [];
    for (let i = 0; i < 5; i += 1) booked.push(await bookOrThrow(first, patients[0]!, { doctorId: doctor.id, startsAt: slot(i) }));
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(5)));

    await redis.stop();
    // Bookings keep succeeding on both instances while pub/sub is gone.
    for (let i = 5; i < 25; i += 1) {
      const [server, patient] = i % 2 === 0 ? [first, patients[0]!] : [second, patients[1]!];
      booked.push(await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(i) }));
    }
    // Nothing got through meanwhile: these 20 events wait in the outbox.
    expect(dashboards.map((dashboard) => dashboard.seen.length)).toEqual([5, 5]);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(503);
    const restartedAt = performance.now();
    await redis.start();
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(25, 20_000)));
    const catchUpMs = performance.now() - restartedAt;
    // And live delivery works again afterwards.
    booked.push(await bookOrThrow(second, patients[1]!, { doctorId: doctor.id, startsAt: slot(25) }));
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(26)));

    console.info(
      `[Redis outage] ${dashboards.map((d) => JSON.stringify(tally(d, booked))).join(' ')}; 20 events queued, ` +
        `caught up ${catchUpMs.toFixed(0)} ms after Redis restarted`,
    );
    for (const dashboard of dashboards) expectExactlyOnceInOrder(dashboard, booked);
  });

  it('gives every dashboard exactly its doctor’s events, once and in order, for 200 concurrent bookings over 20 doctors on 3 instances', async () => {
    const started = performance.now();
    const phase = (name: string) => console.info(`[200 bookings] ${name} at ${(performance.now() - started).toFixed(0)} ms`);
    // This test floods on purpose to check delivery, not admission: every booking must be let in,
    // so the queue is as long as the flood and as patient as a loaded CI machine needs.
    const admitAll = { HTTP_MAX_QUEUED: '1000', HTTP_QUEUE_TIMEOUT: '30s' };
    const instances = await Promise.all([child(admitAll), child(admitAll), child(admitAll)]);
    phase('instances up');
    const at = (i: number) => instances[i % instances.length]!;
    const doctors = await Promise.all(Array.from({ length: 20 }, (_, i) => registerDoctor(at(i))));
    const patients = await Promise.all(Array.from({ length: 20 }, (_, i) => registerPatient(at(i + 1))));
    const dashboards = doctors.flatMap((doctor, d) =>
      [0, 1].map((copy) => {
        const dashboard = dashboardFor(doctor);
        dashboard.connect(at(d + copy).wsUrl);
        return dashboard;
      }),
    );
    phase('accounts and dashboards');
    const slot = slotSeries();
    // Booking b: doctor b % 20, patient floor(b / 10), a slot of its own; sent to instance b % 3.
    const booked = await Promise.all(
      Array.from({ length: 200 }, async (_, b) => ({
        doctorId: doctors[b % 20]!.id,
        id: await bookOrThrow(at(b), patients[Math.floor(b / 10)]!, { doctorId: doctors[b % 20]!.id, startsAt: slot(b) }),
      })),
    );
    phase('booked');
    await Promise.all(dashboards.map((dashboard) => dashboard.waitForCount(10, 30_000)));
    phase('delivered');

    const ownOf = (dashboard: Dashboard) =>
      booked.filter((booking) => booking.doctorId === dashboard.doctorId).map((booking) => booking.id);
    let lost = 0;
    let duplicated = 0;
    for (const dashboard of dashboards) {
      const counts = tally(dashboard, ownOf(dashboard));
      lost += counts.lost;
      duplicated += counts.duplicated;
    }
    console.info(`[200 bookings, 3 instances, 40 dashboards] lost ${lost}, duplicated ${duplicated}`);
    for (const dashboard of dashboards) expectExactlyOnceInOrder(dashboard, ownOf(dashboard));
  }, 180_000);

  it('drains on SIGTERM: sockets close with 1001 while an in-flight booking finishes and publishes, then the process exits 0', async () => {
    const draining = await child();
    const doctor = await registerDoctor(draining);
    const patient = await registerPatient(draining);
    const slot = slotSeries();
    const dashboard = dashboardFor(doctor);
    dashboard.connect(draining.wsUrl);
    const first = await bookOrThrow(draining, patient, { doctorId: doctor.id, startsAt: slot(0) });
    await dashboard.waitForCount(1);

    // Hold the doctor's stream counter so the next booking is provably in flight at SIGTERM.
    const blocker = new Client({ connectionString: databaseUrl });
    await blocker.connect();
    leftover(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query('SELECT last_seq FROM event_streams WHERE stream = $1 FOR UPDATE', [`doctor:${doctor.id}`]);
    const inFlight = bookOrThrow(draining, patient, { doctorId: doctor.id, startsAt: slot(1) });
    await waitUntilBlocked(blocker);

    draining.kill('SIGTERM');
    expect((await dashboard.closed).code).toBe(1001);
    await blocker.query('COMMIT');
    const second = await inFlight;
    expect(await draining.exited).toEqual({ code: 0, signal: null });

    const events = await blocker.query<{ payload: { appointment: { id: string } }; published: boolean }>(
      'SELECT payload, published_at IS NOT NULL AS published FROM events WHERE stream = $1 ORDER BY seq',
      [`doctor:${doctor.id}`],
    );
    expect(events.rows.map((row) => [row.payload.appointment.id, row.published])).toEqual([
      [first, true],
      [second, true],
    ]);
  });
});

/** Resolves once some query is waiting for a lock that `holder`'s session holds (bounded). */
async function waitUntilBlocked(holder: Client, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await holder.query<{ waiting: number }>(
      'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))',
    );
    if (rows[0]!.waiting > 0) return;
    if (Date.now() > deadline) throw new Error(`no query waited for the lock within ${timeoutMs} ms`);
  }
}
