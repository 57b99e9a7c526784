// Texts end to end, on both deployments (PGlite and PostgreSQL), against a fake Twilio on a loopback
// port: a patient who chose SMS books; the confirmation arrives at the fake's Messages.json (times in
// the practice's zone, no reason); Twilio's status callback is recorded; the reply "C" confirms the
// appointment, live on the doctor's stream and webhooked; STOP stops texts until START; HELP names
// the practice; an unsigned request is refused with 403.
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { startFakeTwilio, type FakeTwilio, type ReceivedText } from '../helpers/fake-twilio';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';
import { inboundText, postAsTwilio, TWILIO_TEST, twilioEnv } from '../helpers/twilio-webhooks';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createEndpoint } from '../helpers/webhooks';
import { subscribe } from '../helpers/ws-client';

const PHONE = '+14155552671';
const SETTINGS = 'mutation ($input: NotificationSettingsInput!) { updateNotificationSettings(input: $input) { phone } }';
const RESCHEDULE = 'mutation ($id: ID!, $startsAt: DateTimeISO!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { id } }';
const PRACTICE = '{ me { doctor { practice { id name timeZone } } } }';
const DOCTOR_FEED = 'subscription ($doctorId: ID!) { appointmentUpdated(doctorId: $doctorId) { change appointment { id confirmedAt } } }';

describe.each<Mode>(['embedded', 'services'])('texts through Twilio (%s)', (mode) => {
  let fake: FakeTwilio;
  let hooks: WebhookReceiver;
  let server: TestServer;
  let database: OwnDatabase | undefined;
  let doctor: TestAccount;
  let patient: TestAccount;
  let practice: { id: string; name: string; timeZone: string };
  const slot = slotSeries();

  beforeAll(async () => {
    fake = await startFakeTwilio(TWILIO_TEST);
    hooks = await startWebhookReceiver([200]);
    database = mode === 'services' ? await createOwnDatabase('careline_test_sms') : undefined;
    server = await startTestServer(mode, {
      ...twilioEnv(fake.url),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    doctor = await registerDoctor(server, { timeZone: 'America/New_York' });
    practice = (await server.gql<{ me: { doctor: { practice: typeof practice } } }>(PRACTICE, {}, doctor.token)).data!.me.doctor.practice;
    await createEndpoint(server, doctor.token, { practiceId: practice.id, url: hooks.url, events: ['appointment.confirmed'] });
    patient = await registerPatient(server);
    const settings = await server.gql(
      SETTINGS,
      { input: { phone: '+1 415 555 2671', channels: ['SMS'], smsConsent: true } },
      patient.token,
    );
    expect(settings.errors).toBeUndefined();
  });
  afterAll(async () => {
    // The fakes first: closing the stalled text's connection ends its send at once, where the
    // server's shutdown would otherwise wait out the sender's timeout (15 s per mode).
    await fake?.close();
    await hooks?.close();
    await server?.dispose();
    await database?.drop();
  });

  /** The path (and query) of a text's StatusCallback, where Twilio posts its statuses. */
  const callbackPath = (text: ReceivedText) =>
    new URL(text.params['StatusCallback']!).pathname + new URL(text.params['StatusCallback']!).search;
  const textsTo = (phone: string) => fake.texts.filter((text) => text.params['To'] === phone && text.answered === 201);

  it('texts the confirmation, records its status, and confirms the appointment on the reply "C", live and webhooked', async () => {
    const startsAt = slot(20);
    const booked = await book(server, patient, {
      doctorId: doctor.id,
      startsAt: startsAt.toISOString(),
      durationMinutes: 30,
      reason: 'Chest pain',
    });
    const appointment = booked.data!.bookAppointment;

    const [text] = await fake.waitForAccepted(1);
    expect(text!.authorized).toBe(true);
    expect(text!.params).toMatchObject({
      To: PHONE,
      From: TWILIO_TEST.from,
      StatusCallback: expect.stringMatching(new RegExp(`^${TWILIO_TEST.publicUrl}/sms/twilio/status\\?m=[0-9a-f-]{36}$`)),
    });
    const body = text!.params['Body']!;
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: practice.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(startsAt);
    expect(body).toContain(practice.name);
    expect(body).toContain(doctor.name);
    expect(body).toContain(`${local} (${practice.timeZone})`);
    expect(body).toContain('Reply C to confirm');
    expect(body).not.toContain('Chest pain');
    console.info(`confirmation text as the fake Twilio received it (${mode}): ${body}`);

    // Twilio reports the delivery, to the StatusCallback it was given.
    const delivered = await postAsTwilio(server.url, callbackPath(text!), {
      MessageSid: text!.sid!,
      MessageStatus: 'delivered',
      AccountSid: TWILIO_TEST.accountSid,
      To: PHONE,
    });
    expect(delivered.status).toBe(204);
    const row = await server.database.prisma.smsMessage.findUniqueOrThrow({ where: { twilioSid: text!.sid! } });
    expect(row).toMatchObject({
      status: 'delivered',
      kind: 'confirmation',
      toPhone: PHONE,
      appointmentId: appointment.id,
      practiceId: practice.id,
    });

    // The patient answers "C": confirmed, live on the doctor's stream, webhooked.
    const feed = subscribe<{ appointmentUpdated: { change: string; appointment: { id: string; confirmedAt: string | null } } }>(
      server.wsUrl,
      doctor.token,
      DOCTOR_FEED,
      { doctorId: doctor.id },
    );
    await waitForDoctorSubscribers(server, doctor.id);
    const reply = await postAsTwilio(server.url, '/sms/twilio/inbound', inboundText(PHONE, 'C'));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<Message>Thank you: your next appointment is confirmed.</Message>');
    const event = await feed.next({ timeoutMs: 10_000 });
    expect(event.data?.appointmentUpdated).toMatchObject({
      change: 'CONFIRMED',
      appointment: { id: appointment.id, confirmedAt: expect.any(String) },
    });
    const [hook] = await hooks.waitForRequests(1);
    expect(JSON.parse(hook!.rawBody)).toMatchObject({ type: 'appointment.confirmed', data: { appointment: { id: appointment.id } } });
    await feed.dispose();
  });

  it('refuses unsigned and wrongly signed requests with 403, and changes nothing', async () => {
    const unsigned = await postAsTwilio(server.url, '/sms/twilio/inbound', inboundText(PHONE, 'STOP'), null);
    expect(unsigned.status).toBe(403);
    const forged = await postAsTwilio(
      server.url,
      '/sms/twilio/status',
      { MessageSid: 'SMx', MessageStatus: 'failed' },
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
    expect(forged.status).toBe(403);
    expect(await server.database.prisma.smsOptOut.count({ where: { phone: PHONE } })).toBe(0);
  });

  it('answers HELP naming the practice, stops every text after STOP, and texts again after START', async () => {
    const help = await postAsTwilio(server.url, '/sms/twilio/inbound', inboundText(PHONE, 'help'));
    expect(help.body).toContain(practice.name);

    const stop = await postAsTwilio(server.url, '/sms/twilio/inbound', inboundText(PHONE, 'STOP'));
    expect(stop.body).toContain('no more texts');
    const before = textsTo(PHONE).length;
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: slot(40).toISOString(), durationMinutes: 30 });
    const id = booked.data!.bookAppointment.id;
    await server.background.worker.drain();
    expect(textsTo(PHONE)).toHaveLength(before);

    const start = await postAsTwilio(server.url, '/sms/twilio/inbound', inboundText(PHONE, 'START'));
    expect(start.body).toContain('again');
    await server.gql(RESCHEDULE, { id, startsAt: slot(44).toISOString() }, patient.token);
    await fake.waitForAccepted(before + 1);
    expect(textsTo(PHONE).at(-1)!.params['Body']).toContain('has moved to');
  });
  it('records a status Twilio reports before the sender has recorded the sid, and never texts it again', async () => {
    // The fake takes the text and never answers: the sender has no sid yet when the callback comes.
    fake.answerNext('stall');
    const before = fake.texts.length;
    await book(server, patient, { doctorId: doctor.id, startsAt: slot(60).toISOString(), durationMinutes: 30 });
    const [stalled] = (await fake.waitForPosts(before + 1)).slice(before);
    const sid = `SM${'f'.repeat(32)}`;
    const early = await postAsTwilio(server.url, callbackPath(stalled!), {
      MessageSid: sid,
      MessageStatus: 'delivered',
      AccountSid: TWILIO_TEST.accountSid,
      To: PHONE,
    });
    expect(early.status).toBe(204);
    const row = await server.database.prisma.smsMessage.findUniqueOrThrow({ where: { twilioSid: sid } });
    expect(row).toMatchObject({ status: 'delivered', kind: 'confirmation', toPhone: PHONE });
  });
});
