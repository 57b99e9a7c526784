// How texts go out through the job queue, on an injected clock against a fake Twilio: a 500 is
// retried (one text), Twilio's 21610 opts the number out without a retry and mails instead, the
// practice's monthly budget refuses the text past it and mails instead, a reminder due in quiet
// hours waits for 08:00 on the practice's clock, and a job run again after a crash sends nothing
// twice once Twilio's answer is recorded (only a crash before that record resends: the documented
// at-least-once window).
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TWILIO_TEST, twilioEnv } from '../helpers/twilio-webhooks';
import { waitUntil } from '../helpers/wait-for';

const HOUR = 3_600_000;
const SETTINGS = 'mutation ($input: NotificationSettingsInput!) { updateNotificationSettings(input: $input) { phone } }';
const ZONE = 'Europe/Paris';

describe('texts through the job queue', () => {
  let fake: FakeTwilio;
  let server: TestServer;
  let database: OwnDatabase;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  /**
   * Waits until no job is running or due by the worker's clock. The worker sends at once when a
   * commit nudges it; moving the clock while a send is in flight would let the drain find that
   * send's lease expired and claim the job a second time.
   */
  const settle = () =>
    waitUntil(
      'the due jobs settled',
      async () =>
        (await server.database.prisma.job.count({
          where: { OR: [{ status: 'running' }, { status: 'pending', runAt: { lte: clock() } }] },
        })) === 0,
      10_000,
    );
  const runUntil = async (at: Date) => {
    await settle();
    offsetMs = at.getTime() - Date.now();
    await server.background.worker.drain();
    await settle();
  };
  let phoneSeq = 0;

  beforeAll(async () => {
    fake = await startFakeTwilio(TWILIO_TEST);
    database = await createOwnDatabase('careline_test_sms_delivery');
    server = await startTestServer(
      'services',
      { ...twilioEnv(fake.url), DATABASE_URL: database.url, SMS_MONTHLY_BUDGET: '2', JOB_RETRY_BASE: '1s', REMINDER_HOURS_BEFORE: '24' },
      { clock },
    );
  });
  afterEach(() => (offsetMs = 0));
  afterAll(async () => {
    await server?.dispose();
    await database?.drop();
    await fake?.close();
  });

  /** A doctor (in a practice of their own, zone Paris) and a patient texted at a number of their own. */
  async function textedPatient(): Promise<{ doctor: TestAccount; patient: TestAccount; phone: string }> {
    phoneSeq += 1;
    const phone = `+3361234${String(5600 + phoneSeq).padStart(4, '0')}`;
    const doctor = await registerDoctor(server, { timeZone: ZONE });
    const patient = await registerPatient(server);
    const settings = await server.gql(SETTINGS, { input: { phone, channels: ['SMS'], smsConsent: true } }, patient.token);
    expect(settings.errors).toBeUndefined();
    return { doctor, patient, phone };
  }
  const textsTo = (phone: string) => fake.texts.filter((text) => text.params['To'] === phone);
  /** A start time on a whole hour, `days` ahead, at `hour`:00 in Paris (UTC+1/+2: close enough for hours well inside the day). */
  const parisAt = (days: number, hourUtc: number) => {
    const day = new Date(Date.now() + days * 24 * HOUR);
    day.setUTCHours(hourUtc, 0, 0, 0);
    return day;
  };

  it('retries after a 500 and sends the text once', async () => {
    const { doctor, patient, phone } = await textedPatient();
    fake.answerNext('server-error');
    await book(server, patient, { doctorId: doctor.id, startsAt: parisAt(40, 9).toISOString() });
    await runUntil(new Date(Date.now() + HOUR));
    const texts = textsTo(phone);
    expect(texts.map((text) => text.answered)).toEqual([500, 201]);
    expect(texts[0]!.params['Body']).toBe(texts[1]!.params['Body']);
  });

  it('opts the number out on 21610, does not retry, and mails instead', async () => {
    const { doctor, patient, phone } = await textedPatient();
    fake.answerNext('unsubscribed');
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: parisAt(41, 9).toISOString() });
    await runUntil(new Date(Date.now() + 2 * HOUR));
    expect(textsTo(phone).map((text) => text.answered)).toEqual([400]);
    expect(await server.database.prisma.smsOptOut.findUnique({ where: { phone } })).toMatchObject({ source: '21610' });
    const row = await server.database.prisma.smsMessage.findFirstOrThrow({ where: { appointmentId: booked.data!.bookAppointment.id } });
    expect(row).toMatchObject({ status: 'failed', errorCode: 21610 });
    const fallback = await server.database.prisma.job.findFirst({
      where: { dedupeKey: { startsWith: 'mail:fallback:sms:event:' }, status: 'done' },
    });
    expect(fallback).not.toBeNull();
  });

  it("refuses texts past the practice's monthly budget, records the refusal and mails instead", async () => {
    const { doctor, patient, phone } = await textedPatient();
    const ids: string[] = [];
    for (const day of [42, 43, 44])
      ids.push((await book(server, patient, { doctorId: doctor.id, startsAt: parisAt(day, 9).toISOString() })).data!.bookAppointment.id);
    await runUntil(new Date(Date.now() + 60_000));
    expect(textsTo(phone).filter((text) => text.answered === 201)).toHaveLength(2);
    const refused = await server.database.prisma.smsMessage.findMany({ where: { toPhone: phone, status: 'refused' } });
    expect(refused).toHaveLength(1);
    const fallback = await server.database.prisma.job.findUnique({ where: { dedupeKey: `mail:fallback:${refused[0]!.messageKey}` } });
    expect(fallback?.status).toBe('done');
  });

  it('holds a reminder due in quiet hours until 08:00 on the practice clock', async () => {
    const { doctor, patient, phone } = await textedPatient();
    // Starts at 22:00 UTC (23:00 or midnight in Paris): the reminder is due 24 h before, in quiet hours.
    const startsAt = parisAt(45, 22);
    await book(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() });
    await runUntil(new Date(Date.now() + 60_000));
    const afterConfirmation = textsTo(phone).length;
    await runUntil(new Date(startsAt.getTime() - 24 * HOUR + 60_000));
    expect(textsTo(phone)).toHaveLength(afterConfirmation);
    const deferred = await server.database.prisma.job.findFirstOrThrow({
      where: { dedupeKey: { endsWith: ':after-quiet-hours' }, status: 'pending' },
    });
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      deferred.runAt,
    );
    expect(local).toBe('08:00');
    await runUntil(new Date(deferred.runAt.getTime() + 60_000));
    expect(textsTo(phone)).toHaveLength(afterConfirmation + 1);
    expect(textsTo(phone).at(-1)!.params['Body']).toMatch(/reminder of your appointment/);
  });

  it('sends nothing twice when a job runs again after its answer was recorded, and resends only inside the window', async () => {
    const { doctor, patient, phone } = await textedPatient();
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: parisAt(46, 9).toISOString() });
    await runUntil(new Date(Date.now() + 60_000));
    expect(textsTo(phone)).toHaveLength(1);
    const job = await server.database.prisma.job.findFirstOrThrow({
      where: {
        kind: 'sms.appointment',
        dedupeKey: { startsWith: 'sms:event:' },
        payload: { path: ['appointmentId'], equals: booked.data!.bookAppointment.id },
      },
    });
    // A crash after Twilio's sid was recorded but before the job was settled: the next claim runs it again.
    const rerun = () =>
      server.database.prisma.job.update({ where: { id: job.id }, data: { status: 'pending', runAt: clock(), leaseExpiresAt: null } });
    await rerun();
    await runUntil(new Date(Date.now() + 2 * 60_000));
    expect(textsTo(phone)).toHaveLength(1);
    // A crash after Twilio accepted but before the sid was recorded: the text goes again (at least once).
    await server.database.prisma.smsMessage.updateMany({
      where: { messageKey: job.dedupeKey! },
      data: { twilioSid: null, status: 'sending' },
    });
    await rerun();
    await runUntil(new Date(Date.now() + 3 * 60_000));
    expect(textsTo(phone)).toHaveLength(2);
  });
});
