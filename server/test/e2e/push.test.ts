// Web Push end to end against an HTTPS push service run by the test (server/test/helpers/push-receiver.ts):
// every message is decrypted with http_ece as the browser would, and its VAPID JWT verified with
// node's ECDSA; a doctor or front desk with no open socket (on any instance: presence in Redis)
// gets a push for a booking, a cancellation, a check-in; the patient their reminder; 404/410 remove
// the subscription; 429/5xx are retried (not before Retry-After).
import { generateVapidKeys } from '../../src/outbound/push-sender';
import { PushJobKind } from '../../src/features/push/push.jobs';
import { practiceStream } from '../../src/live/streams';
import { allowBookingWithoutHours, futureSlot, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { bookOrThrow } from '../helpers/bookings';
import { APPOINTMENT_UPDATED, CANCEL } from '../helpers/clinic';
import {
  CHECK_IN,
  createPractice,
  joinPractice,
  moveToEarlierToday,
  PRACTICE_APPOINTMENT_UPDATED,
  type TestPractice,
} from '../helpers/practices';
import { createOwnDatabase } from '../helpers/own-database';
import { startPushReceiver, verifyVapid, type PushReceiver, type ReceivedPush, type TestBrowser } from '../helpers/push-receiver';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers, waitForSubscribers, waitUntil } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

jest.setTimeout(180_000);

const REGISTER_PUSH = 'mutation ($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }';
const UNREGISTER_PUSH = 'mutation ($endpoint: String!) { unregisterPushSubscription(endpoint: $endpoint) }';
const HOUR = 3_600_000;

const vapid = { ...generateVapidKeys(), subject: 'mailto:ops@clinic.example' };
const pushEnv = {
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  VAPID_SUBJECT: vapid.subject,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  JOB_RETRY_BASE: '50ms',
  JOB_POLL_INTERVAL: '50ms',
};

let receiver: PushReceiver;
/** The servers' clock runs this far ahead of the real one (reminders, Retry-After). */
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);
let instanceA: TestServer;
let instanceB: TestServer;
let practice: TestPractice;
let doctor: TestAccount;
let staff: TestAccount;

beforeAll(async () => {
  receiver = await startPushReceiver();
  const options = { clock, pushAgentOptions: { ca: receiver.ca } };
  // Two instances of one deployment (PostgreSQL + Redis): presence must hold across them. A
  // database of their own: another test server's worker would refuse the loopback receiver.
  const database = await createOwnDatabase('careline_test_push');
  instanceA = await startTestServer('services', { ...pushEnv, DATABASE_URL: database.url }, options);
  instanceB = await startTestServer('services', { ...pushEnv, DATABASE_URL: database.url }, options);
  practice = await createPractice(instanceA);
  doctor = await joinPractice(instanceA, practice, 'DOCTOR');
  staff = await joinPractice(instanceA, practice, 'STAFF');
});
afterEach(() => {
  ahead = 0;
  receiver.answer({ status: 201 });
});

async function registerBrowser(server: TestServer, account: TestAccount): Promise<TestBrowser> {
  const browser = receiver.browser();
  const result = await server.gql<{ registerPushSubscription: boolean }>(
    REGISTER_PUSH,
    { input: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth } },
    account.token,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.registerPushSubscription).toBe(true);
  return browser;
}

async function drainAll(): Promise<void> {
  // A fan-out on one instance writes send jobs another may claim: drain until both are idle.
  for (let round = 0; round < 3; round += 1) await Promise.all([instanceA.background.worker.drain(), instanceB.background.worker.drain()]);
}

function requestsTo(browser: TestBrowser): ReceivedPush[] {
  const path = new URL(browser.endpoint).pathname;
  return receiver.requests.filter((request) => request.path === path);
}

function opened(browser: TestBrowser, request: ReceivedPush): { title: string; body: string; url: string } {
  return JSON.parse(browser.decrypt(request.body)) as { title: string; body: string; url: string };
}

async function removeBrowser(server: TestServer, account: TestAccount, browser: TestBrowser): Promise<void> {
  await server.gql(UNREGISTER_PUSH, { endpoint: browser.endpoint }, account.token);
}

describe('configuration and registration', () => {
  it('serves the VAPID public key as text/plain base64url, and 404 with a sentence while push is off', async () => {
    const on = await fetch(`${instanceA.url}/push/vapid-public-key`);
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await on.text()).toBe(vapid.publicKey);

    const off = await startTestServer('embedded');
    const missing = await fetch(`${off.url}/push/vapid-public-key`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/not configured/);
    const patient = await registerPatient(off);
    const browser = receiver.browser();
    const refused = await off.gql(
      REGISTER_PUSH,
      { input: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth } },
      patient.token,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    await off.dispose();
  });

  it('refuses a loopback endpoint without WEBHOOK_ALLOW_PRIVATE, bad keys, and anyone signed out', async () => {
    const strictDatabase = await createOwnDatabase('careline_test_push_strict');
    const strict = await startTestServer('services', { ...pushEnv, DATABASE_URL: strictDatabase.url, WEBHOOK_ALLOW_PRIVATE: 'false' });
    const strictPatient = await registerPatient(strict);
    const browser = receiver.browser();
    const loopback = await strict.gql(
      REGISTER_PUSH,
      { input: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth } },
      strictPatient.token,
    );
    expect(loopback.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(loopback.errors?.[0]?.message).toMatch(/loopback, private or link-local/);
    await strict.dispose();
    await strictDatabase.drop();

    const patient = await registerPatient(instanceA);

    const badKey = await instanceA.gql(
      REGISTER_PUSH,
      { input: { endpoint: browser.endpoint, p256dh: 'AAAA', auth: browser.auth } },
      patient.token,
    );
    expect(badKey.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const anonymous = await instanceA.gql(REGISTER_PUSH, {
      input: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth },
    });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('pushes to the staff side', () => {
  it('pushes a booking to the doctor with no open socket: aes128gcm the browser decrypts, VAPID verified, TTL, Urgency, Topic, no reason', async () => {
    const browser = await registerBrowser(instanceA, doctor);
    const patient = await registerPatient(instanceA);
    const startsAt = futureSlot(3);
    const appointmentId = await bookOrThrow(instanceB, patient, {
      doctorId: doctor.id,
      startsAt,
      durationMinutes: 30,
      reason: 'chest pain since Tuesday',
    });
    await drainAll();

    const [request, ...more] = requestsTo(browser);
    expect(more).toHaveLength(0);
    expect(request).toBeDefined();
    const message = opened(browser, request!);
    expect(message).toEqual({
      title: 'New booking',
      body: expect.stringContaining(patient.name) as unknown as string,
      url: `/dashboard?appointment=${appointmentId}`,
    });
    expect(JSON.stringify(message)).not.toContain('chest pain');
    expect(request!.headers).toMatchObject({
      'content-encoding': 'aes128gcm',
      urgency: 'normal',
      topic: appointmentId.replaceAll('-', ''),
    });
    const ttl = Number(request!.headers['ttl']);
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(86_400);
    const claims = verifyVapid(request!.headers, vapid.publicKey);
    expect(claims.aud).toBe(receiver.origin);
    expect(claims.sub).toBe(vapid.subject);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    expect(claims.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * HOUR);
    expect(() => verifyVapid(request!.headers, generateVapidKeys().publicKey)).toThrow();

    // Each push names the patient to its recipient: an audit row per (event, recipient).
    const rows = await instanceA.database.prisma.auditEvent.findMany({ where: { action: 'push.deliver', objectId: appointmentId } });
    expect(rows.map((row) => row.actorUserId)).toEqual([doctor.id]);
    await removeBrowser(instanceA, doctor, browser);
  });

  it('skips whoever has a socket open on another instance; pushes a check-in (high, 1 h) and a cancellation to those who have none', async () => {
    const doctorBrowser = await registerBrowser(instanceA, doctor);
    const staffBrowser = await registerBrowser(instanceA, staff);
    // The front desk watches the board on instance A; the changes happen, and are fanned out, on B.
    const board = subscribe(instanceA.wsUrl, staff.token, PRACTICE_APPOINTMENT_UPDATED, { practiceId: practice.id });
    await waitForSubscribers(instanceA, practiceStream(practice.id));
    const patient = await registerPatient(instanceB);
    const appointmentId = await bookOrThrow(instanceB, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    await moveToEarlierToday(instanceB, appointmentId);
    const checkedIn = await instanceB.gql(CHECK_IN, { id: appointmentId }, staff.token);
    expect(checkedIn.errors).toBeUndefined();
    await drainAll();

    expect(requestsTo(staffBrowser)).toHaveLength(0);
    const [booked, arrived] = requestsTo(doctorBrowser);
    expect(opened(doctorBrowser, booked!).title).toBe('New booking');
    expect(booked!.headers['urgency']).toBe('normal'); // booked days ahead (then moved to today by the test)
    expect(opened(doctorBrowser, arrived!)).toMatchObject({ title: 'Patient arrived', url: `/dashboard?appointment=${appointmentId}` });
    expect(arrived!.headers).toMatchObject({ urgency: 'high', ttl: '3600', topic: appointmentId.replaceAll('-', '') });

    // The board is closed: the desk is no longer looking, and now gets the cancellation too.
    await board.dispose();
    await waitForPresenceGone(staff.id);
    const patient2 = await registerPatient(instanceB);
    const second = await bookOrThrow(instanceB, patient2, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    const cancelled = await instanceB.gql(CANCEL, { id: second, reason: 'feeling dizzy' }, patient2.token);
    expect(cancelled.errors).toBeUndefined();
    await drainAll();
    const deskMessages = requestsTo(staffBrowser).map((request) => opened(staffBrowser, request));
    expect(deskMessages.map((message) => message.title)).toEqual(['New booking', 'Appointment cancelled']);
    expect(deskMessages[1]).toMatchObject({ url: `/desk?appointment=${second}` });
    expect(JSON.stringify(deskMessages)).not.toContain('dizzy');
    await removeBrowser(instanceA, doctor, doctorBrowser);
    await removeBrowser(instanceA, staff, staffBrowser);
  });

  async function waitForPresenceGone(userId: string): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      if (!(await instanceB.presence.online([userId])).has(userId)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('presence did not go');
  }
});

describe('delivery outcomes', () => {
  async function bookFor(browserOf: TestAccount): Promise<{ browser: TestBrowser; appointmentId: string }> {
    const browser = await registerBrowser(instanceA, browserOf);
    const patient = await registerPatient(instanceA);
    const appointmentId = await bookOrThrow(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    return { browser, appointmentId };
  }

  it('removes a subscription the push service answers 410 for, and pushes there no more', async () => {
    receiver.answer({ status: 410 });
    const { browser } = await bookFor(doctor);
    await drainAll();
    expect(requestsTo(browser)).toHaveLength(1);
    expect(await instanceA.database.prisma.pushSubscription.count({ where: { endpoint: browser.endpoint } })).toBe(0);

    receiver.answer({ status: 201 });
    const patient = await registerPatient(instanceA);
    await bookOrThrow(instanceA, patient, { doctorId: doctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    await drainAll();
    expect(requestsTo(browser)).toHaveLength(1);
  });

  it('retries after a 500 and sends the same message again', async () => {
    receiver.answer({ status: 500 }, { status: 201 });
    const { browser } = await bookFor(doctor);
    await drainAll();
    await receiver.waitForRequests(1);
    for (let i = 0; i < 50 && requestsTo(browser).length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await drainAll();
    }
    const [failed, retried] = requestsTo(browser);
    expect([failed!.status, retried!.status]).toEqual([500, 201]);
    expect(opened(browser, retried!)).toEqual(opened(browser, failed!));
    expect(await instanceA.database.prisma.pushSubscription.count({ where: { endpoint: browser.endpoint } })).toBe(1);
    await removeBrowser(instanceA, doctor, browser);
  });

  it('waits at least Retry-After after a 429', async () => {
    receiver.answer({ status: 429, headers: { 'retry-after': '120' } });
    const { browser } = await bookFor(doctor);
    await drainAll();
    expect(requestsTo(browser)).toHaveLength(1);
    // The send job of this browser's subscription, once settled: a worker's poll (not a drain) may
    // still be holding the push service's answer when the drains return.
    const { id: subscriptionId } = await instanceA.database.prisma.pushSubscription.findFirstOrThrow({
      where: { endpoint: browser.endpoint },
    });
    const sendJob = () =>
      instanceA.database.prisma.job.findFirst({
        where: { kind: PushJobKind.Send, payload: { path: ['subscriptionId'], equals: subscriptionId } },
        orderBy: { id: 'desc' },
      });
    await waitUntil('the send job to settle', async () => (await sendJob())?.status !== 'running');
    const job = await sendJob();
    expect(job).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('429') });
    expect(job!.runAt.getTime()).toBeGreaterThanOrEqual(Date.now() + 110_000);
    receiver.answer({ status: 201 });
    ahead = 121_000;
    await drainAll();
    expect(requestsTo(browser).map((request) => request.status)).toEqual([429, 201]);
    await removeBrowser(instanceA, doctor, browser);
  });
});

describe("the patient's reminder", () => {
  const CHOOSE = 'mutation Choose($input: NotificationSettingsInput!) { updateNotificationSettings(input: $input) { id } }';

  it('pushes the reminder REMINDER_HOURS_BEFORE the start to a patient who chose PUSH and has a subscription (patientWantsPush)', async () => {
    const patient = await registerPatient(instanceA);
    const chose = await instanceA.gql(CHOOSE, { input: { channels: ['EMAIL', 'PUSH'] } }, patient.token);
    expect(chose.errors).toBeUndefined();
    const browser = await registerBrowser(instanceA, patient);
    // Subscribed in a browser, but their channels are EMAIL only: the reminder is not pushed to them.
    const emailOnly = await registerPatient(instanceA);
    const emailOnlyBrowser = await registerBrowser(instanceA, emailOnly);
    const startsAt = futureSlot(3);
    const appointmentId = await bookOrThrow(instanceA, patient, { doctorId: doctor.id, startsAt, durationMinutes: 30, reason: 'rash' });
    await bookOrThrow(instanceA, emailOnly, { doctorId: doctor.id, startsAt: new Date(startsAt.getTime() + HOUR), durationMinutes: 30 });
    await drainAll();
    expect(requestsTo(browser)).toHaveLength(0);

    ahead = startsAt.getTime() - Date.now() - 23 * HOUR;
    await drainAll();
    const [reminder, ...more] = requestsTo(browser);
    expect(more).toHaveLength(0);
    const message = opened(browser, reminder!);
    expect(message).toMatchObject({ title: 'Appointment reminder', url: `/book?appointment=${appointmentId}` });
    expect(message.body).toContain(doctor.name);
    expect(message.body).not.toContain('rash');
    expect(reminder!.headers).toMatchObject({ urgency: 'normal', topic: appointmentId.replaceAll('-', '') });
    ahead = startsAt.getTime() + HOUR - Date.now() - 23 * HOUR;
    await drainAll();
    expect(requestsTo(emailOnlyBrowser)).toHaveLength(0);
  });
});

describe('the embedded deployment (PGlite, no Redis)', () => {
  it('pushes to a doctor with no socket, and not while this instance holds one of theirs', async () => {
    const embedded = await startTestServer('embedded', pushEnv, { clock, pushAgentOptions: { ca: receiver.ca } });
    const soloDoctor = await registerDoctor(embedded);
    await allowBookingWithoutHours(embedded, soloDoctor);
    const browser = await registerBrowser(embedded, soloDoctor);
    const patient = await registerPatient(embedded);
    const first = await bookOrThrow(embedded, patient, { doctorId: soloDoctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    await embedded.background.worker.drain();
    expect(requestsTo(browser).map((request) => opened(browser, request).url)).toEqual([`/dashboard?appointment=${first}`]);

    const feed = subscribe(embedded.wsUrl, soloDoctor.token, APPOINTMENT_UPDATED, { doctorId: soloDoctor.id });
    await waitForDoctorSubscribers(embedded, soloDoctor.id);
    await bookOrThrow(embedded, patient, { doctorId: soloDoctor.id, startsAt: futureSlot(), durationMinutes: 10 });
    await embedded.background.worker.drain();
    expect(requestsTo(browser)).toHaveLength(1);
    await feed.dispose();
    await embedded.dispose();
  });
});
