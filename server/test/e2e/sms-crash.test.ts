// The at-least-once window of texts, across a real crash: an instance is SIGKILLed while Twilio
// (the fake) holds its send of a confirmation; the next instance on the same database claims the
// job once its lease has expired and sends it again (Twilio may have accepted the first: the one
// place a text can arrive twice). Once Twilio's answer is recorded, nothing is sent again.
import { Client } from 'pg';
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { TWILIO_TEST, twilioEnv } from '../helpers/twilio-webhooks';
import { waitUntil } from '../helpers/wait-for';

const SETTINGS = 'mutation ($input: NotificationSettingsInput!) { updateNotificationSettings(input: $input) { phone } }';

describe('an instance killed while Twilio holds its text', () => {
  const leftovers: Array<{ dispose?: () => Promise<void>; close?: () => Promise<void>; drop?: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const item of leftovers.reverse()) await (item.dispose ?? item.close ?? item.drop)?.call(item);
  });

  it('resends that text once from the next instance, and nothing more', async () => {
    const fake: FakeTwilio = await startFakeTwilio(TWILIO_TEST);
    leftovers.push(fake);
    const database: OwnDatabase = await createOwnDatabase('careline_test_sms_crash');
    leftovers.push(database);
    const common = { ...twilioEnv(fake.url), DATABASE_URL: database.url, JOB_LEASE: '2s', JOB_POLL_INTERVAL: '100ms' };

    const first: ChildServer = await startChildServer(common);
    leftovers.push(first);
    const doctor = await registerDoctor(first);
    const patient = await registerPatient(first);
    const settings = await first.gql(SETTINGS, { input: { phone: '+14155552671', channels: ['SMS'], smsConsent: true } }, patient.token);
    expect(settings.errors).toBeUndefined();
    fake.answerNext('stall');
    const booked = await book(first, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
    expect(booked.errors).toBeUndefined();
    await fake.waitForPosts(1, 15_000); // committed, claimed, and waiting for Twilio's answer
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second: ChildServer = await startChildServer(common);
    leftovers.push(second);
    const [resent] = await fake.waitForAccepted(1, 20_000);
    expect(fake.texts).toHaveLength(2);
    expect(resent!.params['Body']).toBe(fake.texts[0]!.params['Body']);
    expect(resent!.params['Body']).toMatch(/is booked for/);

    // Recorded: Twilio's sid is on the message and its job settled, so no later claim sends it again.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await waitUntil(
        'the text recorded and its job settled',
        async () => {
          const sent = await client.query<{ twilio_sid: string | null }>("SELECT twilio_sid FROM sms_messages WHERE kind = 'confirmation'");
          const job = await client.query<{ status: string }>("SELECT status FROM jobs WHERE kind = 'sms.appointment'");
          return sent.rows[0]?.twilio_sid === resent!.sid && job.rows[0]?.status === 'done';
        },
        10_000,
      );
    } finally {
      await client.end();
    }
    expect(fake.texts).toHaveLength(2);
  });
});
