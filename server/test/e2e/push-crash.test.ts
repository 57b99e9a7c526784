// The at-least-once window of Web Push, across a real crash: an instance is SIGKILLed while the push
// service (the test's HTTPS receiver) holds its send of a booking's push; the next instance on the
// same database claims the send job once its lease has expired and sends the same message again
// (the service may have accepted the first: the one place a push can arrive twice, and its Topic
// lets the service replace an undelivered first copy). Once the service's answer is recorded,
// nothing is sent again.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateVapidKeys } from '../../src/outbound/push-sender';
import { PushJobKind } from '../../src/features/push/push.jobs';
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startPushReceiver, type PushReceiver } from '../helpers/push-receiver';
import { waitUntil } from '../helpers/wait-for';

jest.setTimeout(180_000);

const REGISTER_PUSH = 'mutation ($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }';
const BOOKABLE = 'mutation ($practiceId: ID!) { setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: true) { id } }';
const PRACTICE = '{ me { doctor { practice { id } } } }';

describe('an instance killed while the push service holds its push', () => {
  const leftovers: Array<{ dispose?: () => Promise<void>; close?: () => Promise<void>; drop?: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const item of leftovers.reverse()) await (item.dispose ?? item.close ?? item.drop)?.call(item);
  });

  it('resends that push once from the next instance, and nothing more', async () => {
    const receiver: PushReceiver = await startPushReceiver();
    leftovers.push(receiver);
    // The child processes trust the receiver's certificate as a system one (web-push uses https.request).
    const caFile = path.join(tmpdir(), `careline-push-ca-${randomBytes(4).toString('hex')}.pem`);
    writeFileSync(caFile, receiver.ca);
    const database: OwnDatabase = await createOwnDatabase('careline_test_push_crash');
    leftovers.push(database);
    const vapid = generateVapidKeys();
    const common = {
      DATABASE_URL: database.url,
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@clinic.example',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      NODE_EXTRA_CA_CERTS: caFile,
      JOB_LEASE: '2s',
      JOB_POLL_INTERVAL: '100ms',
    };

    const first: ChildServer = await startChildServer(common);
    leftovers.push(first);
    const doctor = await registerDoctor(first);
    const practice = await first.gql<{ me: { doctor: { practice: { id: string } } } }>(PRACTICE, {}, doctor.token);
    const practiceId = practice.data!.me.doctor.practice.id;
    expect((await first.gql(BOOKABLE, { practiceId }, doctor.token)).errors).toBeUndefined();
    const browser = receiver.browser();
    const registered = await first.gql(
      REGISTER_PUSH,
      { input: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth } },
      doctor.token,
    );
    expect(registered.errors).toBeUndefined();
    const patient = await registerPatient(first);

    receiver.answer({ status: 0, stall: true }, { status: 201 });
    const booked = await book(first, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
    expect(booked.errors).toBeUndefined();
    await receiver.waitForRequests(1, 20_000); // committed, fanned out, claimed, and waiting for the service
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second: ChildServer = await startChildServer(common);
    leftovers.push(second);
    const [held, resent] = await receiver.waitForRequests(2, 30_000);
    expect(browser.decrypt(resent!.body)).toBe(browser.decrypt(held!.body));
    expect(JSON.parse(browser.decrypt(resent!.body))).toMatchObject({ title: 'New booking' });
    expect(resent!.headers['topic']).toBe(held!.headers['topic']);

    // Recorded: the send job settled, so no later claim sends it again.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await waitUntil(
        'the push job settled',
        async () => {
          const jobs = await client.query<{ status: string }>('SELECT status FROM jobs WHERE kind = $1', [PushJobKind.Send]);
          return jobs.rows.length === 1 && jobs.rows[0]!.status === 'done';
        },
        10_000,
      );
    } finally {
      await client.end();
    }
    // Past another lease: still two.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(receiver.requests).toHaveLength(2);
  });
});
