// Reminders and the daily agenda, with the job worker's clock moved by the test (no waiting
// hours): a reminder REMINDER_HOURS_BEFORE the start, none for a cancelled appointment, one for
// the new time of a moved one; each doctor's agenda at DAILY_AGENDA_TIME on their own clock.
import { book, registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { nextAgendaAt } from '../../src/features/notifications/notifications.rules';

const HOUR = 3_600_000;
const RESCHEDULE = /* GraphQL */ `
  mutation ($id: ID!, $startsAt: DateTimeISO!) {
    rescheduleAppointment(id: $id, startsAt: $startsAt) {
      id
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($id: ID!) {
    cancelAppointment(id: $id) {
      id
    }
  }
`;

describe('reminders and agendas on an injected clock', () => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let database: OwnDatabase;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  /** Moves the worker's clock to `at` and runs everything due by then. */
  const runUntil = async (at: Date) => {
    offsetMs = at.getTime() - Date.now();
    await server.background.worker.drain();
  };
  /** A start time on a whole half hour, `hours` from now. */
  const startIn = (hours: number) => new Date(Math.ceil((Date.now() + hours * HOUR) / 1_800_000) * 1_800_000);
  const remindersTo = (patient: TestAccount) =>
    smtp.messages.filter((mail) => mail.to.includes(patient.email) && /^Reminder/.test(mail.parsed.subject ?? ''));

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    // A database of its own: moving the clock must not make this server send other tests' jobs.
    database = await createOwnDatabase('careline_test_reminders');
    server = await startTestServer(
      'services',
      { DATABASE_URL: database.url, SMTP_URL: smtp.url, REMINDER_HOURS_BEFORE: '24', DAILY_AGENDA_TIME: '07:00' },
      { clock },
    );
  });
  afterEach(() => (offsetMs = 0));
  afterAll(async () => {
    await server?.dispose();
    await database?.drop();
    await smtp?.close();
  });

  it('sends the reminder 24 hours before the start, not earlier, and once', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const startsAt = startIn(24 * 5);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() });
    expect(booked.errors).toBeUndefined();

    await runUntil(new Date(startsAt.getTime() - 24 * HOUR - 60_000));
    expect(remindersTo(patient)).toHaveLength(0);
    await runUntil(new Date(startsAt.getTime() - 24 * HOUR + 1000));
    const [reminder] = remindersTo(patient);
    expect(reminder?.parsed.messageId).toContain(booked.data!.bookAppointment.id);
    await runUntil(new Date(startsAt.getTime() - HOUR));
    expect(remindersTo(patient)).toHaveLength(1);
  });

  it('sends no reminder for an appointment cancelled meanwhile', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const startsAt = startIn(24 * 6);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() });
    expect((await server.gql(CANCEL, { id: booked.data!.bookAppointment.id }, patient.token)).errors).toBeUndefined();
    await runUntil(new Date(startsAt.getTime() - HOUR));
    expect(remindersTo(patient)).toHaveLength(0);
  });

  it('reminds of a moved appointment at its new time only', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const first = startIn(24 * 7);
    const moved = new Date(first.getTime() + 48 * HOUR);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: first.toISOString() });
    expect(
      (await server.gql(RESCHEDULE, { id: booked.data!.bookAppointment.id, startsAt: moved.toISOString() }, patient.token)).errors,
    ).toBeUndefined();

    await runUntil(new Date(first.getTime() - HOUR));
    expect(remindersTo(patient)).toHaveLength(0);
    await runUntil(new Date(moved.getTime() - 23 * HOUR));
    expect(remindersTo(patient)).toHaveLength(1);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(moved);
    expect(remindersTo(patient)[0]?.parsed.text).toContain(local);
  });

  it('sends no reminder to a patient who turned reminders off', async () => {
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    const UPDATE = /* GraphQL */ `
      mutation {
        updateNotificationPreferences(input: { reminders: false }) {
          reminders
        }
      }
    `;
    expect((await server.gql(UPDATE, {}, patient.token)).data).toEqual({ updateNotificationPreferences: { reminders: false } });
    const startsAt = startIn(24 * 8);
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: startsAt.toISOString() })).errors).toBeUndefined();
    await runUntil(new Date(startsAt.getTime() - HOUR));
    expect(remindersTo(patient)).toHaveLength(0);
    // The confirmation still went out.
    expect(smtp.messages.some((mail) => mail.to.includes(patient.email) && /is booked/.test(mail.parsed.subject ?? ''))).toBe(true);
  });

  it("mails each doctor their day's agenda at 07:00 on their own clock, once", async () => {
    const doctor = await registerDoctor(server, { timeZone: 'America/New_York' });
    const patient = await registerPatient(server);
    await server.background.agenda.ensure();
    const agenda = nextAgendaAt(new Date(), 'America/New_York', 7 * 60);
    const visit = new Date(agenda.at.getTime() + 3 * HOUR); // 10:00 in New York that day
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: visit.toISOString() })).errors).toBeUndefined();

    await runUntil(new Date(agenda.at.getTime() - 60_000));
    const agendasTo = () => smtp.messages.filter((mail) => mail.to.includes(doctor.email) && /agenda/.test(mail.parsed.subject ?? ''));
    expect(agendasTo()).toHaveLength(0);
    await runUntil(new Date(agenda.at.getTime() + 1000));
    await server.background.agenda.ensure(); // another instance's scheduler: still once
    await server.background.worker.drain();
    expect(agendasTo()).toHaveLength(1);
    const [mail] = agendasTo();
    expect(mail?.parsed.subject).toContain(agenda.date);
    expect(mail?.parsed.text).toContain('10:00-10:30');
    expect(mail?.parsed.text).toContain(patient.name);
  });
});
