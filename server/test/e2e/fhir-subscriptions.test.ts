// FHIR Subscriptions (server/src/fhir/subscriptions.ts, subscription-socket.ts): created over
// HTTP, bound on /ws/subscriptions-r4 by Medplum's own client (@medplum/core's MedplumClient,
// unmodified: subscribeToCriteria) and by a raw `ws` client sending what it sends, each event
// numbered by the doctor's stream sequence (never 0), and `$events` replaying exactly what a
// client missed. Every resource received is validated against the R4 definitions.
import type { Appointment, Bundle, OperationOutcome, Parameters, Subscription, SubscriptionStatus } from '@medplum/fhirtypes';
import WebSocket from 'ws';
import { allowBookingWithoutHours, login, registerDoctor, registerPatient, TEST_PASSWORD, type TestAccount } from '../helpers/accounts';
import { bookOrThrow, slotSeries } from '../helpers/bookings';
import { bundleOf, expectValid, loadR4Definitions, received } from '../helpers/fhir';
import { leftover } from '../helpers/leftovers';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';
import { waitUntil } from '../helpers/wait-for';

jest.setTimeout(180_000);

const PAYLOAD_CONTENT_URL = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content';

/** A raw socket on /ws/subscriptions-r4 that keeps what it receives, read with bounded waits. */
interface RawSocket {
  send(message: unknown): void;
  /** The next message (parsed JSON); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<unknown>;
  /** The next message that is not a heartbeat notification. */
  nextNotHeartbeat(timeoutMs?: number): Promise<unknown>;
  readonly closed: Promise<{ code: number }>;
  close(): Promise<void>;
}

async function openSocket(url: string): Promise<RawSocket> {
  const socket = new WebSocket(`${url.replace('http://', 'ws://')}/ws/subscriptions-r4`);
  const messages: unknown[] = [];
  const waiters: Array<(message: unknown) => void> = [];
  socket.on('message', (data) => {
    const message: unknown = JSON.parse(String(data));
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<{ code: number }>((resolve) => socket.once('close', (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const close = async () => {
    if (socket.readyState === socket.OPEN) socket.close();
    await closed;
  };
  leftover(close);
  const next = (timeoutMs = 5000) => {
    const queued = messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  };
  const nextNotHeartbeat = async (timeoutMs = 5000): Promise<unknown> => {
    for (;;) {
      const message = await next(timeoutMs);
      if (statusOf(message)?.type !== 'heartbeat') return message;
    }
  };
  return { send: (message) => socket.send(JSON.stringify(message)), next, nextNotHeartbeat, closed, close };
}

/** The SubscriptionStatus of a notification Bundle (entry 0), as Medplum's client reads it. */
function statusOf(message: unknown): SubscriptionStatus | undefined {
  const resource = (message as Bundle | undefined)?.entry?.[0]?.resource;
  return resource?.resourceType === 'SubscriptionStatus' ? resource : undefined;
}

describe.each<Mode>(['services', 'embedded'])('FHIR Subscriptions (%s)', (mode) => {
  let server: TestServer;
  let doctor: TestAccount;
  let otherDoctor: TestAccount;
  const slot = slotSeries();
  let slots = 0;

  beforeAll(async () => {
    loadR4Definitions();
    server = await startTestServer(mode);
    doctor = await registerDoctor(server);
    otherDoctor = await registerDoctor(server);
    await allowBookingWithoutHours(server, doctor);
  });
  afterAll(async () => {
    await server.dispose();
  });

  async function fhir(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; location: string | null }> {
    const response = await fetch(`${server.url}/fhir/R4/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (text) expect(response.headers.get('content-type')).toContain('application/fhir+json');
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (parsed !== undefined) received(parsed);
    return { status: response.status, body: parsed, location: response.headers.get('location') };
  }

  function subscriptionBody(
    criteria: string,
    content?: 'id-only' | 'full-resource',
    reason = 'Follow the schedule',
  ): Subscription & { channel: unknown } {
    return {
      resourceType: 'Subscription',
      status: 'requested',
      reason,
      criteria,
      channel: {
        type: 'websocket',
        ...(content
          ? { payload: 'application/fhir+json', _payload: { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: content }] } }
          : {}),
      },
    };
  }

  async function createSubscription(
    token: string,
    criteria: string,
    content?: 'id-only' | 'full-resource',
    reason?: string,
  ): Promise<Subscription> {
    const created = await fhir('POST', 'Subscription', token, subscriptionBody(criteria, content, reason));
    expect(created.status).toBe(201);
    const subscription = created.body as Subscription;
    expect(created.location).toBe(`${server.url}/fhir/R4/Subscription/${subscription.id ?? ''}`);
    return subscription;
  }

  async function bindingTokenOf(token: string, subscriptionId: string): Promise<string> {
    const answer = await fhir('GET', `Subscription/${subscriptionId}/$get-ws-binding-token`, token);
    expect(answer.status).toBe(200);
    const parameters = answer.body as Parameters;
    const value = (name: string) => parameters.parameter?.find((parameter) => parameter.name === name);
    expect(value('websocket-url')?.valueUrl).toBe(`${server.url.replace('http://', 'ws://')}/ws/subscriptions-r4`);
    expect(value('subscription')?.valueString).toBe(subscriptionId);
    expect(Date.parse(value('expiration')?.valueDateTime ?? '')).toBeGreaterThan(Date.now());
    return value('token')?.valueString ?? '';
  }

  async function bookWithDoctor(patient: TestAccount, reason = 'Check-up'): Promise<string> {
    slots += 1;
    return bookOrThrow(server, patient, { doctorId: doctor.id, startsAt: slot(slots).toISOString(), reason });
  }

  /** The event number of a booking: its position in the doctor's stream. */
  async function seqOfBooking(appointmentId: string): Promise<number> {
    const events = await server.database.prisma.event.findMany({ where: { stream: `doctor:${doctor.id}`, topic: 'PATIENT_ADDED' } });
    const event = events.find((row) => (row.payload as { appointment?: { id?: string } }).appointment?.id === appointmentId);
    if (!event) throw new Error(`no event for ${appointmentId}`);
    return Number(event.seq);
  }

  it('lists Subscription in the CapabilityStatement with its interactions and operations', async () => {
    const metadata = await fhir('GET', 'metadata', '');
    const statement = metadata.body as { rest?: Array<{ resource?: Array<Record<string, unknown>> }> };
    expect(statement.rest?.[0]?.resource?.find((resource) => resource['type'] === 'Subscription')).toMatchObject({
      interaction: [{ code: 'create' }, { code: 'read' }, { code: 'delete' }],
      operation: [{ name: 'get-ws-binding-token' }, { name: 'events' }],
    });
  });

  it('creates, reads and deletes a Subscription, refusing another doctor with 403 and a stranger with 404', async () => {
    const criteria = `Appointment?practitioner=Practitioner/${doctor.id}`;
    const subscription = await createSubscription(doctor.token, criteria, 'full-resource');
    expect(subscription).toMatchObject({
      resourceType: 'Subscription',
      status: 'active',
      criteria,
      channel: { type: 'websocket', _payload: { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: 'full-resource' }] } },
    });
    const id = subscription.id ?? '';
    expect((await fhir('GET', `Subscription/${id}`, doctor.token)).body).toEqual(subscription);

    // Another doctor's schedule: the same refusal as the GraphQL streams'.
    const refused = await fhir('POST', 'Subscription', otherDoctor.token, subscriptionBody(criteria));
    expect(refused.status).toBe(403);
    expect((refused.body as OperationOutcome).issue[0]?.code).toBe('forbidden');
    // Someone else's Subscription is not known to them, nor its token or events.
    for (const path of [`Subscription/${id}`, `Subscription/${id}/$get-ws-binding-token`, `Subscription/${id}/$events`]) {
      const hidden = await fhir('GET', path, otherDoctor.token);
      expect([hidden.status, (hidden.body as OperationOutcome).issue[0]?.code]).toEqual([404, 'not-found']);
    }
    // Criteria and channels that are not served, and a Patient's stream of someone else.
    const patient = await registerPatient(server);
    const cases: Array<[TestAccount, unknown, number, string]> = [
      [doctor, subscriptionBody('Observation?patient=Patient/x'), 400, 'invalid'],
      [doctor, { ...subscriptionBody(criteria), channel: { type: 'rest-hook', endpoint: 'https://example.com' } }, 400, 'not-supported'],
      [doctor, subscriptionBody(`Appointment?patient=Patient/${patient.id}`), 403, 'forbidden'],
      [doctor, { resourceType: 'Patient' }, 400, 'invalid'],
    ];
    for (const [account, body, status, code] of cases) {
      const answer = await fhir('POST', 'Subscription', account.token, body);
      expect([answer.status, (answer.body as OperationOutcome).issue[0]?.code]).toEqual([status, code]);
    }
    expect((await fhir('POST', 'Subscription', '', subscriptionBody(criteria))).status).toBe(401);

    expect((await fhir('DELETE', `Subscription/${id}`, otherDoctor.token)).status).toBe(404);
    expect((await fhir('DELETE', `Subscription/${id}`, doctor.token)).status).toBe(204);
    expect((await fhir('GET', `Subscription/${id}`, doctor.token)).status).toBe(404);
  });

  it("delivers bookings to Medplum's MedplumClient numbered by the stream's sequence, and $events replays exactly what it missed", async () => {
    globalThis.WebSocket ??= (await import('ws')).default as unknown as typeof globalThis.WebSocket;
    const { MedplumClient } = await import('@medplum/core');
    const medplum = new MedplumClient({ baseUrl: `${server.url}/`, accessToken: doctor.token, cacheTime: 0 });
    const criteria = `Appointment?practitioner=Practitioner/${doctor.id}`;
    const emitter = medplum.subscribeToCriteria(criteria);
    const manager = medplum.getSubscriptionManager();
    leftover(async () => manager.closeWebSocket());
    const messages: Bundle[] = [];
    const errors: unknown[] = [];
    let subscriptionId: string | undefined;
    emitter.addEventListener('connect', (event) => (subscriptionId = event.payload.subscriptionId));
    emitter.addEventListener('message', (event) => messages.push(event.payload));
    emitter.addEventListener('error', (event) => errors.push(event.payload));
    await waitUntil('the handshake', async () => subscriptionId !== undefined, 10_000);

    const patient = await registerPatient(server);
    const first = await bookWithDoctor(patient);
    await waitUntil('the notification', async () => messages.length === 1, 10_000);
    const notification = bundleOf(messages[0]);
    const status = statusOf(notification);
    const firstNumber = await seqOfBooking(first);
    expect(firstNumber).toBeGreaterThan(0);
    expect(status).toMatchObject({
      type: 'event-notification',
      subscription: { reference: `Subscription/${subscriptionId ?? ''}` },
      notificationEvent: [{ eventNumber: String(firstNumber), focus: { reference: `Appointment/${first}` } }],
    });
    expect(errors).toEqual([]);

    // Disconnected, the client misses two bookings; $events from the next number returns exactly them.
    medplum.unsubscribeFromCriteria(criteria);
    manager.closeWebSocket();
    const missed = [await bookWithDoctor(patient), await bookWithDoctor(patient)];
    const numbers = await Promise.all(missed.map(seqOfBooking));
    const replay = await fhir('GET', `Subscription/${subscriptionId ?? ''}/$events?eventsSinceNumber=${firstNumber + 1}`, doctor.token);
    expect(replay.status).toBe(200);
    const replayed = bundleOf(replay.body);
    expect(statusOf(replayed)).toMatchObject({
      type: 'query-event',
      notificationEvent: numbers.map((number, index) => ({
        eventNumber: String(number),
        focus: { reference: `Appointment/${missed[index] ?? ''}` },
      })),
    });
    expect(messages).toHaveLength(1);
    // From the first number: all three, in order; until the first: only it; past the last: none.
    const all = bundleOf(
      (await fhir('GET', `Subscription/${subscriptionId ?? ''}/$events?eventsSinceNumber=${firstNumber}`, doctor.token)).body,
    );
    expect(statusOf(all)?.notificationEvent?.map((event) => event.eventNumber)).toEqual([firstNumber, ...numbers].map(String));
    const until = bundleOf(
      (
        await fhir(
          'GET',
          `Subscription/${subscriptionId ?? ''}/$events?eventsSinceNumber=${firstNumber}&eventsUntilNumber=${firstNumber}&content=full-resource`,
          doctor.token,
        )
      ).body,
    );
    expect(statusOf(until)?.notificationEvent?.map((event) => event.eventNumber)).toEqual([String(firstNumber)]);
    expect(until.entry?.[1]?.resource).toMatchObject({ resourceType: 'Appointment', id: first, status: 'booked' });
    const none = bundleOf(
      (await fhir('GET', `Subscription/${subscriptionId ?? ''}/$events?eventsSinceNumber=${(numbers[1] ?? 0) + 1}`, doctor.token)).body,
    );
    expect(statusOf(none)?.notificationEvent).toBeUndefined();
    const bad = await fhir('GET', `Subscription/${subscriptionId ?? ''}/$events?eventsSinceNumber=0`, doctor.token);
    expect([bad.status, (bad.body as OperationOutcome).issue[0]?.code]).toEqual([400, 'invalid']);

    // Each delivery to the doctor, live and replayed, is audited once per event.
    const rows = await server.database.prisma.auditEvent.findMany({
      where: { actorUserId: doctor.id, action: 'event.patientAdded', objectId: { in: [first, ...missed] } },
    });
    expect(rows.map((row) => row.objectId).sort()).toEqual([first, ...missed].sort());
  });

  it('binds a raw socket as Medplum does, sends full resources, answers ping, refuses a bad token, and closes with the session', async () => {
    // A session of its own: this test signs it out.
    const session = await login(server, doctor.email, TEST_PASSWORD);
    const subscription = await createSubscription(session, `Appointment?practitioner=Practitioner/${doctor.id}`, 'full-resource');
    const id = subscription.id ?? '';
    const socket = await openSocket(server.url);

    socket.send({ type: 'bind-with-token', payload: { token: 'not-a-token' } });
    const refusal = received(await socket.next()) as OperationOutcome;
    expect(refusal).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });

    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });

    socket.send({ type: 'bind-with-token', payload: { token: await bindingTokenOf(session, id) } });
    const handshake = bundleOf(await socket.nextNotHeartbeat());
    expect(statusOf(handshake)).toMatchObject({ type: 'handshake', subscription: { reference: `Subscription/${id}` } });

    const patient = await registerPatient(server);
    const booked = await bookWithDoctor(patient, 'Knee pain');
    const notification = bundleOf(await socket.nextNotHeartbeat());
    expect(statusOf(notification)?.notificationEvent?.[0]?.eventNumber).toBe(String(await seqOfBooking(booked)));
    const appointment = notification.entry?.[1]?.resource as Appointment;
    expectValid(appointment);
    expect(appointment).toMatchObject({
      resourceType: 'Appointment',
      id: booked,
      status: 'booked',
      description: 'Knee pain',
      participant: expect.arrayContaining([{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }]),
    });

    // A cancel is an event of the same stream, numbered after the booking.
    const cancelled = await server.gql(
      'mutation ($id: ID!) { cancelAppointment(id: $id, reason: null) { id } }',
      { id: booked },
      patient.token,
    );
    expect(cancelled.errors).toBeUndefined();
    const change = bundleOf(await socket.nextNotHeartbeat());
    expect(Number(statusOf(change)?.notificationEvent?.[0]?.eventNumber)).toBeGreaterThan(await seqOfBooking(booked));
    expect(change.entry?.[1]?.resource).toMatchObject({ id: booked, status: 'cancelled' });

    // Signing out ends the session: the socket is closed with 4401, and nothing more is delivered.
    expect((await server.gql('mutation { logout }', {}, session)).errors).toBeUndefined();
    expect((await socket.closed).code).toBe(4401);
  });

  it("lets a patient follow their own appointments' changes, and no one else's", async () => {
    const patient = await registerPatient(server);
    const stranger = await registerPatient(server);
    const criteria = `Appointment?patient=Patient/${patient.id}`;
    const refused = await fhir('POST', 'Subscription', stranger.token, subscriptionBody(criteria));
    expect([refused.status, (refused.body as OperationOutcome).issue[0]?.code]).toEqual([403, 'forbidden']);

    const subscription = await createSubscription(patient.token, criteria);
    const socket = await openSocket(server.url);
    socket.send({ type: 'bind-with-token', payload: { token: await bindingTokenOf(patient.token, subscription.id ?? '') } });
    expect(statusOf(bundleOf(await socket.nextNotHeartbeat()))?.type).toBe('handshake');
    const booked = await bookWithDoctor(patient);
    await server.gql('mutation ($id: ID!) { cancelAppointment(id: $id, reason: null) { id } }', { id: booked }, patient.token);
    const change = bundleOf(await socket.nextNotHeartbeat());
    expect(statusOf(change)?.notificationEvent?.[0]).toMatchObject({ focus: { reference: `Appointment/${booked}` } });
    expect(Number(statusOf(change)?.notificationEvent?.[0]?.eventNumber)).toBeGreaterThan(0);
    // id-only: the reference, not the resource.
    expect(change.entry).toHaveLength(1);
  });

  it('answers an identical create with the same Subscription (200), and holds an account to 50', async () => {
    const patient = await registerPatient(server);
    const criteria = `Appointment?patient=Patient/${patient.id}`;
    const first = await createSubscription(patient.token, criteria);
    // Medplum's client creates its Subscription again at every reconnect, with the same fields.
    const again = await fhir('POST', 'Subscription', patient.token, subscriptionBody(criteria));
    expect([again.status, (again.body as Subscription).id]).toEqual([200, first.id]);
    for (let index = 1; index < 50; index += 1) {
      const body = { ...subscriptionBody(criteria), reason: `Reason ${index}` };
      expect((await fhir('POST', 'Subscription', patient.token, body)).status).toBe(201);
    }
    const over = await fhir('POST', 'Subscription', patient.token, { ...subscriptionBody(criteria), reason: 'One more' });
    expect([over.status, (over.body as OperationOutcome).issue[0]?.code]).toEqual([422, 'business-rule']);
    expect((await fhir('DELETE', `Subscription/${first.id ?? ''}`, patient.token)).status).toBe(204);
    expect((await fhir('POST', 'Subscription', patient.token, { ...subscriptionBody(criteria), reason: 'One more' })).status).toBe(201);
  });

  it('heartbeats every bound subscription of a socket, and stops a deleted one at its next event', async () => {
    const criteria = `Appointment?practitioner=Practitioner/${doctor.id}`;
    const kept = await createSubscription(doctor.token, criteria, 'id-only', 'Kept');
    const deleted = await createSubscription(doctor.token, criteria, 'id-only', 'Deleted');
    const socket = await openSocket(server.url);
    for (const subscription of [kept, deleted]) {
      socket.send({ type: 'bind-with-token', payload: { token: await bindingTokenOf(doctor.token, subscription.id ?? '') } });
      expect(statusOf(bundleOf(await socket.nextNotHeartbeat()))?.type).toBe('handshake');
    }
    // Medplum's server beats every 10 s; so does this one, naming each subscription bound on the socket.
    let heartbeat: Bundle | undefined;
    while (!heartbeat) {
      const message = bundleOf(await socket.next(12_000));
      if (statusOf(message)?.type === 'heartbeat') heartbeat = message;
    }
    expect(heartbeat.entry?.map((entry) => (entry.resource as SubscriptionStatus).subscription.reference).sort()).toEqual(
      [`Subscription/${kept.id ?? ''}`, `Subscription/${deleted.id ?? ''}`].sort(),
    );

    expect((await fhir('DELETE', `Subscription/${deleted.id ?? ''}`, doctor.token)).status).toBe(204);
    const booked = await bookWithDoctor(await registerPatient(server));
    const arrived = [await socket.nextNotHeartbeat(), await socket.nextNotHeartbeat()];
    const notification = arrived.map(statusOf).find((status) => status !== undefined);
    expect(notification).toMatchObject({
      subscription: { reference: `Subscription/${kept.id ?? ''}` },
      notificationEvent: [{ focus: { reference: `Appointment/${booked}` } }],
    });
    expect(arrived.find((message) => statusOf(message) === undefined)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'not-found' }],
    });
  });

  it("refuses another site's page at the upgrade, and any other socket path", async () => {
    const wsUrl = server.url.replace('http://', 'ws://');
    const upgrade = (path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${wsUrl}${path}`, { headers });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
      });
    expect(await upgrade('/ws/subscriptions-r4', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade('/ws/elsewhere')).toBe(404);
    expect(await upgrade('/ws/subscriptions-r4')).toBe(101);
  });

  if (mode === 'services') {
    it('binds on a second instance a Subscription created on the first, and delivers bookings made on the first', async () => {
      const second = await startTestServer('services');
      leftover(() => second.dispose());
      const subscription = await createSubscription(
        doctor.token,
        `Appointment?practitioner=Practitioner/${doctor.id}`,
        'id-only',
        'On another instance',
      );
      const socket = await openSocket(second.url);
      socket.send({ type: 'bind-with-token', payload: { token: await bindingTokenOf(doctor.token, subscription.id ?? '') } });
      expect(statusOf(bundleOf(await socket.nextNotHeartbeat()))?.type).toBe('handshake');
      const booked = await bookWithDoctor(await registerPatient(server));
      const notification = bundleOf(await socket.nextNotHeartbeat());
      expect(statusOf(notification)?.notificationEvent?.[0]).toEqual({
        eventNumber: String(await seqOfBooking(booked)),
        focus: { reference: `Appointment/${booked}` },
      });
    });
  }
});
