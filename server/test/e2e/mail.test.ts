// Mail to patients, end to end: a booking, a new time and a cancellation each reach a real SMTP
// server (smtp-server, started here) with an .ics whose UID is stable and SEQUENCE grows; the
// Message-ID is derived from the event. Runs on both deployments (PGlite and PostgreSQL); on
// PostgreSQL in a database of its own, so no other test's worker sends its jobs elsewhere.
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { calendarOf, icsValue, startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../helpers/smtp-receiver';
import { startTestServer, type Mode, type TestServer } from '../helpers/test-server';

const RESCHEDULE = /* GraphQL */ `
  mutation ($id: ID!, $startsAt: DateTimeISO!) {
    rescheduleAppointment(id: $id, startsAt: $startsAt) {
      id
      startsAt
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($id: ID!) {
    cancelAppointment(id: $id) {
      id
      status
    }
  }
`;

/** "20270301T090000Z", as iCalendar writes a UTC time. */
const icsUtc = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe.each<Mode>(['embedded', 'services'])('mail to the patient (%s)', (mode) => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let database: OwnDatabase | undefined;
  let doctor: TestAccount;
  let patient: TestAccount;
  const slot = slotSeries();

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    database = mode === 'services' ? await createOwnDatabase('careline_test_mail') : undefined;
    server = await startTestServer(mode, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'CareLine Test <no-reply@clinic.test>',
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    doctor = await registerDoctor(server, { timeZone: 'Europe/Paris' });
    patient = await registerPatient(server);
  });
  afterAll(async () => {
    await server?.dispose();
    await database?.drop();
    await smtp?.close();
  });

  const mailFor = (appointmentId: string, subject: RegExp): Promise<ReceivedMail> =>
    smtp.waitFor(
      (mail) => mail.to.includes(patient.email) && subject.test(mail.parsed.subject ?? '') && calendarOf(mail).includes(appointmentId),
    );

  it('sends a confirmation with an .ics invitation, then an update and a cancellation with the same UID and a growing SEQUENCE', async () => {
    const startsAt = slot(20);
    const connectionsBefore = smtp.connections;
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString(), durationMinutes: 30 });
    const appointment = booked.data!.bookAppointment;

    const confirmation = await mailFor(appointment.id, /is booked/);
    const invite = calendarOf(confirmation);
    expect(icsValue(invite, 'METHOD')).toBe('REQUEST');
    const uid = icsValue(invite, 'UID');
    expect(uid).toContain(appointment.id);
    expect(icsValue(invite, 'SEQUENCE')).toBe('0');
    expect(icsValue(invite, 'DTSTART')).toBe(icsUtc(appointment.startsAt));
    expect(icsValue(invite, 'DTEND')).toBe(icsUtc(appointment.endsAt));
    expect(confirmation.parsed.from?.text).toContain('no-reply@clinic.test');
    expect(confirmation.parsed.messageId).toMatch(/^<appointment-booked-\d+@clinic\.test>$/);
    // Both parts from one template, times on the recipient's (here the doctor's) clock.
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(startsAt);
    expect(confirmation.parsed.text).toContain(local);
    expect(confirmation.parsed.text).toContain(doctor.name);
    expect(confirmation.parsed.html || '').toContain(local);
    expect(confirmation.parsed.html || '').toContain('Europe/Paris');

    const movedTo = slot(24);
    const moved = await server.gql(RESCHEDULE, { id: appointment.id, startsAt: movedTo.toISOString() }, patient.token);
    expect(moved.errors).toBeUndefined();
    const update = calendarOf(await mailFor(appointment.id, /new time/));
    expect(icsValue(update, 'METHOD')).toBe('REQUEST');
    expect(icsValue(update, 'UID')).toBe(uid);
    expect(icsValue(update, 'SEQUENCE')).toBe('1');
    expect(icsValue(update, 'DTSTART')).toBe(icsUtc(movedTo.toISOString()));

    const cancelled = await server.gql(CANCEL, { id: appointment.id }, patient.token);
    expect(cancelled.errors).toBeUndefined();
    const cancellation = calendarOf(await mailFor(appointment.id, /cancelled/));
    expect(icsValue(cancellation, 'METHOD')).toBe('CANCEL');
    expect(icsValue(cancellation, 'UID')).toBe(uid);
    expect(icsValue(cancellation, 'SEQUENCE')).toBe('2');
    expect(icsValue(cancellation, 'STATUS')).toBe('CANCELLED');
    // Three messages one after another, over one connection kept open (the pooled transport).
    expect(smtp.connections - connectionsBefore).toBeLessThanOrEqual(1);
  });

  it('sends nothing to a patient who turned confirmations off, and tells them their choices', async () => {
    const quiet = await registerPatient(server);
    const PREFS = /* GraphQL */ `
      {
        notificationPreferences {
          confirmations
          reminders
        }
      }
    `;
    expect((await server.gql(PREFS, {}, quiet.token)).data).toEqual({ notificationPreferences: { confirmations: true, reminders: true } });
    const UPDATE = /* GraphQL */ `
      mutation ($input: NotificationPreferencesInput!) {
        updateNotificationPreferences(input: $input) {
          confirmations
          reminders
        }
      }
    `;
    const updated = await server.gql(UPDATE, { input: { confirmations: false } }, quiet.token);
    expect(updated.data).toEqual({ updateNotificationPreferences: { confirmations: false, reminders: true } });

    const booked = await book(server, quiet, { doctorId: doctor.id, startsAt: slot(30).toISOString() });
    expect(booked.errors).toBeUndefined();
    await server.background.worker.drain();
    expect(smtp.messages.filter((mail) => mail.to.includes(quiet.email))).toHaveLength(0);
  });

  it('refuses notification preferences to anyone but a signed-in patient', async () => {
    const PREFS = /* GraphQL */ `
      {
        notificationPreferences {
          confirmations
        }
      }
    `;
    expect((await server.gql(PREFS, {}, doctor.token)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await server.gql(PREFS)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
