import { DONE, type JobHandler } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { Sql } from '../../platform/sql';
import { buildCalendar } from './calendar';
import { appointmentMail, reminderMail } from './mail-messages';
import { renderHtml, renderText, type MailContent } from './mail-render';
import { messageIdDomain, type Mailer, type MailMessage } from '../../outbound/mail-transport';
import { AppointmentMailJob, MailJobKind, ReminderMailJob } from './notifications.jobs';
import { loadAppointmentParties, wantsMail, type AppointmentParties } from './notifications.recipients';

export interface MailDeps {
  /** Reads (outside any transaction) of what a mail says. */
  readonly sql: Sql;
  /** The jobs a mail's handler writes (the next agenda). */
  readonly transactions: Transactions;
  readonly mailer: Mailer;
  readonly mailFrom: string;
  /** Texts can be sent (Twilio configured): a patient who chose only SMS gets no mail then. */
  readonly textsEnabled: boolean;
}

/** Both parts from the one template, and the headers that make a resend recognisable. */
export function composeMail(content: MailContent, to: string, messageId: string, calendar?: MailMessage['calendar']): MailMessage {
  return {
    to,
    subject: content.subject,
    text: renderText(content),
    html: renderHtml(content),
    messageId,
    ...(calendar ? { calendar } : {}),
  };
}

/**
 * The confirmation, cancellation or reschedule notice, with its .ics. The times are those the
 * change left (stored in the job), so a retry sends the same message with the same Message-ID.
 */
export function appointmentMailHandler(deps: MailDeps): JobHandler<AppointmentMailJob> {
  const domain = messageIdDomain(deps.mailFrom);
  return {
    kind: MailJobKind.Appointment,
    payload: AppointmentMailJob,
    async run(job, context) {
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      if (!parties.preferences.confirmations) return { outcome: 'skipped', reason: 'the patient turned confirmations off' };
      if (!job.fallback && !wantsMail(parties, deps.textsEnabled))
        return { outcome: 'skipped', reason: 'the patient chose other channels' };
      const startsAt = new Date(job.startsAt);
      const endsAt = new Date(job.endsAt);
      const content = appointmentMail(job.change, { ...facts(parties), startsAt, endsAt });
      const method = job.change === 'CANCELLED' ? 'CANCEL' : 'REQUEST';
      const ics = buildCalendar(
        {
          appointmentId: job.appointmentId,
          startsAt,
          endsAt,
          sequence: job.sequence,
          summary: `Appointment with ${parties.doctor.name}`,
          organizer: { name: parties.doctor.name, email: senderAddress(deps.mailFrom) },
          attendee: { name: parties.patient.name, email: parties.patient.email },
        },
        method,
        domain,
        context.createdAt,
      );
      const messageId = `<appointment-${job.change.toLowerCase()}-${job.eventId}@${domain}>`;
      await deps.mailer.send(composeMail(content, parties.patient.email, messageId, { method, content: ics }));
      return DONE;
    },
  };
}

/**
 * The reminder. It re-reads the appointment when it runs: cancelled, or moved to another time
 * (whose own reminder is another job), means nothing is sent.
 */
export function reminderMailHandler(deps: MailDeps): JobHandler<ReminderMailJob> {
  const domain = messageIdDomain(deps.mailFrom);
  return {
    kind: MailJobKind.Reminder,
    payload: ReminderMailJob,
    async run(job, context) {
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      if (parties.status !== 'BOOKED') return { outcome: 'skipped', reason: `the appointment is ${parties.status.toLowerCase()}` };
      if (parties.startsAt.getTime() !== new Date(job.startsAt).getTime()) return { outcome: 'skipped', reason: 'the appointment moved' };
      if (parties.startsAt.getTime() <= context.now.getTime()) return { outcome: 'skipped', reason: 'the appointment has started' };
      if (!parties.preferences.reminders) return { outcome: 'skipped', reason: 'the patient turned reminders off' };
      if (!job.fallback && !wantsMail(parties, deps.textsEnabled))
        return { outcome: 'skipped', reason: 'the patient chose other channels' };
      const content = reminderMail(facts(parties));
      const messageId = `<reminder-${job.appointmentId}-${parties.startsAt.getTime()}@${domain}>`;
      await deps.mailer.send(composeMail(content, parties.patient.email, messageId));
      return DONE;
    },
  };
}

function facts(parties: AppointmentParties) {
  return {
    patientName: parties.patient.name,
    doctorName: parties.doctor.name,
    startsAt: parties.startsAt,
    endsAt: parties.endsAt,
    timeZone: parties.timeZone,
  };
}

/** "no-reply@clinic.example" out of "CareLine <no-reply@clinic.example>". */
export function senderAddress(mailFrom: string): string {
  return /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
}
