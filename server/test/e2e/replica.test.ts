// DATABASE_REPLICA_URL against a real streaming replica (issue 30): the test starts its own
// PostgreSQL primary and a replica of it (pg_basebackup -R, recovery_min_apply_delay), runs one
// CareLine instance with the replica and one without, and books while dashboards reconnect with
// their cursors. The replica's lag is made certain where an assertion depends on it
// (pg_wal_replay_pause), never waited for by the clock. Catch-up reads served by the replica and
// those the primary completed are read from /metrics.
import { encodeEventCursor } from '../../src/live/cursors';
import { decodeStoredEvent } from '../../src/live/outbox';
import { doctorStream } from '../../src/live/streams';
import { allowBookingWithoutHours, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { Dashboard, seqsUpTo } from '../helpers/dashboard';
import { startPrimaryAndReplica, type PrimaryAndReplica } from '../helpers/postgres-replica';
import { scrape } from '../helpers/prometheus';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitUntil } from '../helpers/wait-for';

jest.setTimeout(180_000);

const FIGURES = `appointments booked completed cancelled noShows lateCancelled noShowRate lateCancellationRate utilization
  medianLeadTimeDays newPatientShare selfBookedShare confirmedShare medianCycleMinutes
  byDay { date appointments completed cancelled noShows } byDoctor { doctor { id } appointments noShowRate utilization }`;
// thirdNextAvailableDays is left out: it counts from the instant of the request, and always reads the primary.
const PRACTICE_ANALYTICS = `query ($practiceId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $doctorId: ID) {
  practiceAnalytics(practiceId: $practiceId, from: $from, to: $to, doctorId: $doctorId) { ${FIGURES} previous { ${FIGURES} } } }`;

const REPLICA_READS = 'careline_db_replica_reads_total{use="catch_up"}';
const ANALYTICS_READS = 'careline_db_replica_reads_total{use="analytics"}';
const FALLBACKS = 'careline_db_primary_fallback_total{use="catch_up"}';

let databases: PrimaryAndReplica;
/** DATABASE_URL = the primary, DATABASE_REPLICA_URL = the replica. */
let withReplica: TestServer;
/** The same deployment without the replica: what the primary answers. */
let primaryOnly: TestServer;
/** One more instance that never publishes its events (no prompt dispatch, no sweep within the test): the test publishes them. */
let silent: TestServer;
let doctor: TestAccount;
let practiceId: string;
let patients: TestAccount[];
const slot = slotSeries();
let booked = 0;

const counter = async (name: string) => (await scrape(withReplica.url)).get(name) ?? 0;
const bookNext = async (server: TestServer = primaryOnly) => {
  const index = booked++;
  return bookOrThrow(server, patients[index % patients.length]!, { doctorId: doctor.id, startsAt: slot(index) });
};
/** The replica has replayed the doctor's stream up to what the primary has. */
const replicaCaughtUp = async () => {
  const head = async (on: 'primary' | 'replica') =>
    (await databases.query(on, 'SELECT last_seq::int AS seq FROM event_streams WHERE stream = $1', [doctorStream(doctor.id)]))[0]?.[
      'seq'
    ] ?? null;
  const [primary, replica] = await Promise.all([head('primary'), head('replica')]);
  return primary === replica;
};

beforeAll(async () => {
  databases = await startPrimaryAndReplica({ applyDelay: '2s' });
  // The first instance migrates the primary; the second starts once the replica has the tables.
  // No sweeps during the file (every instance would republish the silent one's events): events reach pub/sub after commit only.
  const noSweep = { DATABASE_URL: databases.primaryUrl, OUTBOX_SWEEP_INTERVAL: '10m' };
  primaryOnly = await startTestServer('services', noSweep);
  await waitUntil(
    'the migrations on the replica',
    async () => (await databases.query('replica', "SELECT to_regclass('public.event_streams') AS t"))[0]?.['t'] !== null,
    30_000,
  );
  withReplica = await startTestServer('services', { ...noSweep, DATABASE_REPLICA_URL: databases.replicaUrl });
  silent = await startTestServer('services', { ...noSweep, OUTBOX_PROMPT_DISPATCH: 'false' });
  doctor = await registerDoctor(primaryOnly);
  await allowBookingWithoutHours(primaryOnly, doctor);
  patients = await Promise.all(Array.from({ length: 4 }, () => registerPatient(primaryOnly)));
  const me = await primaryOnly.gql<{ me: { doctor: { practice: { id: string } } } }>(
    '{ me { doctor { practice { id } } } }',
    {},
    doctor.token,
  );
  practiceId = me.data!.me.doctor.practice.id;
});

afterAll(async () => {
  // Servers first (their pools), then both PostgreSQL processes and their folder, whatever failed before.
  await Promise.allSettled([withReplica?.dispose(), primaryOnly?.dispose(), silent?.dispose()]);
  await databases?.dispose();
});

it('replays from the primary what the replica has not replayed yet, and skips nothing', async () => {
  await databases.pauseReplay();
  try {
    for (let i = 0; i < 10; i += 1) await bookNext();
    const fallbacksBefore = await counter(FALLBACKS);
    const readsBefore = await counter(REPLICA_READS);

    const dashboard = new Dashboard(doctor.id, doctor.token, encodeEventCursor(0));
    dashboard.connect(withReplica.wsUrl);
    await dashboard.waitForCount(10);

    expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(10));
    expect(dashboard.errors).toEqual([]);
    // The replica was asked first and fell short: the primary completed the read.
    expect(await counter(REPLICA_READS)).toBeGreaterThan(readsBefore);
    expect(await counter(FALLBACKS)).toBeGreaterThan(fallbacksBefore);
    await dashboard.disconnect();
  } finally {
    await databases.resumeReplay();
  }
});

it('delivers a stream of bookings to a dashboard that keeps reconnecting: none skipped, none twice, in order', async () => {
  const dashboard = new Dashboard(doctor.id, doctor.token, encodeEventCursor(0));
  dashboard.connect(withReplica.wsUrl);
  await dashboard.waitForCount(booked);
  // Bookings go on while the dashboard drops and resumes from its cursor every few of them; the
  // replica lags them by its apply delay.
  for (let round = 0; round < 6; round += 1) {
    for (let i = 0; i < 5; i += 1) await bookNext(round % 2 === 0 ? primaryOnly : withReplica);
    await dashboard.disconnect();
    await bookNext();
    dashboard.connect(withReplica.wsUrl);
  }
  await dashboard.waitForCount(booked, 30_000);

  expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(booked));
  expect(new Set(dashboard.seen.map((event) => event.appointmentId)).size).toBe(booked);
  expect(dashboard.errors).toEqual([]);
  await dashboard.disconnect();
});

it('serves a replay from the replica alone once it has caught up', async () => {
  await waitUntil('the replica to replay the stream', replicaCaughtUp, 30_000);
  const fallbacksBefore = await counter(FALLBACKS);
  const readsBefore = await counter(REPLICA_READS);

  const dashboard = new Dashboard(doctor.id, doctor.token, encodeEventCursor(0));
  dashboard.connect(withReplica.wsUrl);
  await dashboard.waitForCount(booked);

  expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(booked));
  expect(await counter(REPLICA_READS)).toBeGreaterThan(readsBefore);
  expect(await counter(FALLBACKS)).toBe(fallbacksBefore);
  await dashboard.disconnect();
});

it('fills a gap in live events from the primary when the replica has not replayed it', async () => {
  await waitUntil('the replica to replay the stream', replicaCaughtUp, 30_000);
  const head = booked;
  const dashboard = new Dashboard(doctor.id, doctor.token, encodeEventCursor(head));
  dashboard.connect(withReplica.wsUrl);
  await waitForDoctorSubscribers(withReplica, doctor.id);
  await databases.pauseReplay();
  try {
    // Two bookings whose events nobody publishes; then only the second one's reaches pub/sub.
    await bookNext(silent);
    await bookNext(silent);
    const fallbacksBefore = await counter(FALLBACKS);
    const [row] = await databases.query('primary', 'SELECT seq, topic, payload FROM events WHERE stream = $1 AND seq = $2', [
      doctorStream(doctor.id),
      head + 2,
    ]);
    const stored = { seq: Number(row?.['seq']), topic: String(row?.['topic']), payload: row?.['payload'] };
    const message = decodeStoredEvent(stored, (_seq, error) => {
      throw error;
    });
    await withReplica.pubSub.publish(doctorStream(doctor.id), message!);
    await dashboard.waitForCount(2);

    expect(dashboard.seen.map((event) => event.seq)).toEqual([head + 1, head + 2]);
    expect(await counter(FALLBACKS)).toBeGreaterThan(fallbacksBefore);
    await dashboard.disconnect();
  } finally {
    await databases.resumeReplay();
  }
});

it("answers analytics from the replica: behind while it lags, the primary's answer once caught up", async () => {
  const from = new Date(slot(0).getTime() - 86_400_000);
  const range = { practiceId, doctorId: doctor.id, from: from.toISOString(), to: new Date(from.getTime() + 60 * 86_400_000).toISOString() };
  const ask = async (server: TestServer) => {
    const response = await server.gql<{ practiceAnalytics: { appointments: number } }>(PRACTICE_ANALYTICS, range, doctor.token);
    expect(response.errors).toBeUndefined();
    return response.data!.practiceAnalytics;
  };
  await waitUntil('the replica to replay the stream', replicaCaughtUp, 30_000);
  await databases.pauseReplay();
  try {
    const analyticsReadsBefore = await counter(ANALYTICS_READS);
    for (let i = 0; i < 3; i += 1) await bookNext();

    const [fromReplica, fromPrimary] = [await ask(withReplica), await ask(primaryOnly)];
    expect(fromPrimary.appointments).toBe(booked);
    expect(fromReplica.appointments).toBe(booked - 3);
    expect(await counter(ANALYTICS_READS)).toBeGreaterThan(analyticsReadsBefore);
  } finally {
    await databases.resumeReplay();
  }
  await waitUntil('the replica to replay the bookings', replicaCaughtUp, 30_000);
  expect(await ask(withReplica)).toEqual(await ask(primaryOnly));
});

it('refuses DATABASE_REPLICA_URL without DATABASE_URL (the embedded database has no replica)', async () => {
  await expect(startTestServer('embedded', { DATABASE_REPLICA_URL: 'postgres://postgres@127.0.0.1:1/postgres' })).rejects.toThrow(
    /DATABASE_REPLICA_URL is set but DATABASE_URL is not/,
  );
});
