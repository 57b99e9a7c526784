// At least once across a crash: an instance is SIGKILLed after the booking committed and while
// its confirmation is being sent (the relay holds the message); the next instance on the same
// database claims the job once its lease has expired and the message arrives, same Message-ID.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver';

describe('an instance killed between commit and send', () => {
  const leftovers: Array<{ dispose?: () => Promise<void>; close?: () => Promise<void>; drop?: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const item of leftovers.reverse()) await (item.dispose ?? item.close ?? item.drop)?.call(item);
  });

  it('loses nothing: the next instance sends the confirmation', async () => {
    const stalling: SmtpReceiver = await startSmtpReceiver({ stall: true });
    leftovers.push(stalling);
    const relay: SmtpReceiver = await startSmtpReceiver();
    leftovers.push(relay);
    const database: OwnDatabase = await createOwnDatabase('careline_test_mail_crash');
    leftovers.push(database);
    const common = { DATABASE_URL: database.url, JOB_LEASE: '2s', JOB_POLL_INTERVAL: '100ms' };

    const first: ChildServer = await startChildServer({ ...common, SMTP_URL: stalling.url });
    leftovers.push(first);
    const doctor = await registerDoctor(first);
    const patient = await registerPatient(first);
    const booked = await book(first, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() });
    expect(booked.errors).toBeUndefined();
    await stalling.dataStarted(15_000); // committed, claimed, and halfway through the SMTP transaction
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second: ChildServer = await startChildServer({ ...common, SMTP_URL: relay.url });
    leftovers.push(second);
    const mail = await relay.waitFor((candidate) => candidate.to.includes(patient.email), 20_000);
    expect(mail.parsed.subject).toMatch(/is booked/);
    expect(mail.parsed.messageId).toMatch(/^<appointment-booked-\d+@/);
  });
});
