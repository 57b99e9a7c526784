// Delivery guarantees that one process can show (issue 5): resume after a disconnect, an event
// left unpublished by a dead instance, idempotent bookings, retention, token expiry, slow
// consumers and socket limits. Real PostgreSQL, Redis and graphql-ws sockets throughout; the
// faults that need separate processes or a Redis outage are in delivery-faults.test.ts.
import { SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { encodeEventCursor } from '../../src/live/cursors';
import { doctorStream } from '../../src/live/streams';
import { streamMessage } from '../../src/live/topics';
import { AppointmentTopic, type PatientAddedPayload } from '../../src/features/appointments/appointments.events';
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { leftover } from '../helpers/leftovers';
import { Dashboard, seqsUpTo } from '../helpers/dashboard';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const PATIENT_ADDED = /* GraphQL */ `
  subscription PatientAdded($doctorId: ID!, $after: String) {
    patientAdded(doctorId: $doctorId, after: $after) {
      cursor
      appointment {
        id
        reason
      }
    }
  }
`;

// What a test starts (servers, dashboards, sockets) is disposed after it (helpers/leftovers.ts).
describe('delivery of booking events to dashboards', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const dashboardFor = (doctor: TestAccount, cursor?: string) => new Dashboard(doctor.id, doctor.token, cursor);

  it('resumes after a disconnect with exactly the 50 bookings it missed, in order, then live ones', async () => {
    const doctor = await registerDoctor(server);
    const patients = await Promise.all(Array.from({ length: 5 }, () => registerPatient(server)));
    const slot = slotSeries();
    const dashboard = dashboardFor(doctor);
    dashboard.connect(server.wsUrl);
    await bookOrThrow(server, patients[0]!, { doctorId: doctor.id, startsAt: slot(0) });
    await dashboard.waitForCount(1);
    await dashboard.disconnect();

    // Five patients book ten each, concurrently with one another.
    const missed = await Promise.all(
      patients.map(async (patient, p) => {
        const ids: string[] = [];
        for (let i = 0; i < 10; i += 1)
          ids.push(await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(1 + p * 10 + i) }));
        return ids;
      }),
    );
    dashboard.connect(server.wsUrl);
    await dashboard.waitForCount(51);
    const live = await bookOrThrow(server, patients[0]!, { doctorId: doctor.id, startsAt: slot(60) });
    await dashboard.waitForCount(52);

    expect(dashboard.seen.map((event) => event.seq)).toEqual(seqsUpTo(52));
    const resumed = dashboard.seen.slice(1, 51).map((event) => event.appointmentId);
    expect([...resumed].sort()).toEqual(missed.flat().sort());
    for (const ids of missed) expect(resumed.filter((id) => ids.includes(id))).toEqual(ids); // each patient's in booking order
    expect(dashboard.seen[51]!.appointmentId).toBe(live);
    expect(dashboard.errors).toEqual([]);
  });

  it("delivers an event whose instance died between commit and publish, through another instance's sweep", async () => {
    // The crash is injected: this instance never publishes after commit and never sweeps again.
    const doomed = await startTestServer('services', { OUTBOX_PROMPT_DISPATCH: 'false', OUTBOX_SWEEP_INTERVAL: '10m' });
    const survivor = await startTestServer('services', { OUTBOX_SWEEP_INTERVAL: '100ms' });
    const doctor = await registerDoctor(survivor);
    const patient = await registerPatient(survivor);
    const slot = slotSeries();
    const dashboard = dashboardFor(doctor);
    dashboard.connect(survivor.wsUrl);
    // Once the dashboard has a first event, its replay is over and it only listens live: the next
    // event can reach it only through pub/sub, i.e. through a sweep.
    const before = await bookOrThrow(survivor, patient, { doctorId: doctor.id, startsAt: slot(0) });
    await dashboard.waitForCount(1);

    const orphan = await bookOrThrow(doomed, patient, { doctorId: doctor.id, startsAt: slot(1) });
    await doomed.dispose();
    await dashboard.waitForCount(2);
    expect(dashboard.seen).toEqual([
      { seq: 1, doctorId: doctor.id, appointmentId: before },
      { seq: 2, doctorId: doctor.id, appointmentId: orphan },
    ]);
  });

  it('returns the first appointment for a repeated idempotency key and publishes no second event', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const slot = slotSeries();
    const dashboard = dashboardFor(doctor);
    dashboard.connect(server.wsUrl);

    const input = { doctorId: doctor.id, startsAt: slot(0), reason: 'Check-up', idempotencyKey: 'key-1' };
    const [first, again, concurrent] = await Promise.all([
      book(server, patient, input),
      book(server, patient, input),
      book(server, patient, input),
    ]);
    const id = first.data?.bookAppointment.id;
    expect(first.errors).toBeUndefined();
    expect([again.data?.bookAppointment.id, concurrent.data?.bookAppointment.id]).toEqual([id, id]);
    const repeatedLater = await bookOrThrow(server, patient, input);
    expect(repeatedLater).toBe(id);
    // The next event the dashboard sees is the next booking, not a copy of the first.
    const next = await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(1) });
    await dashboard.waitForCount(2);
    expect(dashboard.seen.map((event) => [event.seq, event.appointmentId])).toEqual([
      [1, id],
      [2, next],
    ]);
    expect(await server.database.prisma.event.count({ where: { stream: doctorStream(doctor.id) } })).toBe(2);
  });

  it('answers CONFLICT when an idempotency key is reused with other input, and books nothing', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const slot = slotSeries();
    await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(0), idempotencyKey: 'key-2' });
    const reused = await book(server, patient, { doctorId: doctor.id, startsAt: slot(4), idempotencyKey: 'key-2' });
    expect(reused.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    expect(await server.database.prisma.appointment.count({ where: { patientId: patient.id } })).toBe(1);
    expect(await server.database.prisma.event.count({ where: { stream: doctorStream(doctor.id) } })).toBe(1);
  });

  it('answers CURSOR_EXPIRED for a cursor older than the retained events, and resumes from a retained one', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const slot = slotSeries();
    for (let i = 0; i < 3; i += 1) await bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(i) });
    await server.dispatcher.idle(); // published: only published events are pruned
    // Events 1 and 2 age past EVENT_RETENTION (7 days by default) and are pruned.
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    await server.database.prisma.event.updateMany({
      where: { stream: doctorStream(doctor.id), seq: { lte: 2 } },
      data: { createdAt: eightDaysAgo },
    });
    // Moved back in the pre-partitioning history partition (a fresh database's covers up to tomorrow):
    // deleted row by row there, as a day partition's would be dropped whole.
    expect((await server.dispatcher.prune()).deletedEvents).toBeGreaterThanOrEqual(2);

    const expired = subscribe(server.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id, after: encodeEventCursor(1) });
    const refused = await expired.next();
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('CURSOR_EXPIRED');

    const retained = dashboardFor(doctor, encodeEventCursor(2));
    retained.connect(server.wsUrl);
    await retained.waitForCount(1);
    expect(retained.seen.map((event) => event.seq)).toEqual([3]);
  });

  it('closes the socket with 4401 when its session expires', async () => {
    const doctor = await registerDoctor(server);
    // A sign-in whose session ends in 2 s (SESSION_MAX_AGE is at least 10 s: written directly).
    const session = await server.database.prisma.session.create({ data: { userId: doctor.id, expiresAt: new Date(Date.now() + 2000) } });
    const shortLived = await new SignJWT({ role: 'DOCTOR', sid: session.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(doctor.id)
      .setIssuer('careline')
      .setIssuedAt()
      .setExpirationTime(Math.floor(session.expiresAt.getTime() / 1000))
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const dashboard = subscribe(server.wsUrl, shortLived, PATIENT_ADDED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(server, doctor.id);
    const closed = await withTimeout(dashboard.closed, 10_000);
    expect(closed.code).toBe(4401);
  });

  it('cuts off a consumer that stops reading with 1013 and releases its subscription', async () => {
    const slow = await startTestServer('services', { SUBSCRIPTION_MAX_QUEUED_EVENTS: '20' });
    const doctor = await registerDoctor(slow);
    const socket = await openRawSocket(slow.wsUrl, doctor.token);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PATIENT_ADDED, variables: { doctorId: doctor.id } } }));
    await waitForDoctorSubscribers(slow, doctor.id);
    let received = 0;
    socket.on('message', () => (received += 1));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    // The client stops reading; a flood of large events (64 KiB each, published straight to
    // pub/sub) fills the kernel's buffers, then the subscription's queue.
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const published = 400;
    for (let seq = 1; seq <= published; seq += 1) {
      await slow.pubSub.publish(doctorStream(doctor.id), streamMessage(seq, AppointmentTopic.PatientAdded, largeEvent(doctor.id, seq)));
      if (slow.services.events.subscriberCount(doctorStream(doctor.id)) === 0) break;
    }
    expect(slow.services.events.subscriberCount(doctorStream(doctor.id))).toBe(0);
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await withTimeout(closed, 10_000)).toBe(1013);
    expect(received).toBeLessThan(published);
  });

  it('closes a socket beyond WS_MAX_SOCKETS_PER_USER with 4429 and refuses operations beyond WS_MAX_SUBSCRIPTIONS_PER_SOCKET', async () => {
    const limited = await startTestServer('services', { WS_MAX_SOCKETS_PER_USER: '1', WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '1' });
    const doctor = await registerDoctor(limited);
    subscribe(limited.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
    await waitForDoctorSubscribers(limited, doctor.id);
    const second = subscribe(limited.wsUrl, doctor.token, PATIENT_ADDED, { doctorId: doctor.id });
    expect((await withTimeout(second.closed, 5000)).code).toBe(4429);

    const other = await registerDoctor(limited);
    const client = createClient({
      url: limited.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${other.token}` },
    });
    leftover(async () => client.dispose());
    client.subscribe({ query: PATIENT_ADDED, variables: { doctorId: other.id } }, { next: () => {}, error: () => {}, complete: () => {} });
    await waitForDoctorSubscribers(limited, other.id);
    const refused = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: PATIENT_ADDED, variables: { doctorId: other.id } },
        { next: () => {}, error: resolve, complete: () => resolve(undefined) },
      ),
    );
    expect(refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);
  });
});

function largeEvent(doctorId: string, seq: number): PatientAddedPayload {
  return {
    seq,
    doctorId,
    firstVisit: false,
    patient: { id: '00000000-0000-4000-8000-000000000000', name: 'Flood', dateOfBirth: null },
    appointment: {
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      doctorId,
      patientId: '00000000-0000-4000-8000-000000000000',
      startsAt: new Date().toISOString(),
      endsAt: new Date().toISOString(),
      status: 'BOOKED',
      reason: 'x'.repeat(64 * 1024),
    },
  };
}

/** A graphql-transport-ws socket, initialised, without a client library that would read for us; terminated after the test. */
async function openRawSocket(wsUrl: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  leftover(async () => socket.terminate());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const acknowledged = new Promise<void>((resolve) => socket.once('message', () => resolve()));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await withTimeout(acknowledged, 5000);
  return socket;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
