import { enqueueJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobContext, type JobHandler, type JobResult, type NewJob } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { Logger } from '../../platform/logger';
import type { Sql } from '../../platform/sql';
import { SmsSendError, TWILIO_UNSUBSCRIBED, type SmsSender } from '../../outbound/sms-transport';
import { AppointmentMailJob, MailJobKind, ReminderMailJob, SmsJobKind, smsJobKey } from './notifications.jobs';
import { loadAppointmentParties, whyNoText, type AppointmentParties } from './notifications.recipients';
import { appointmentText, reminderText, SMS_KIND_OF, SmsKind, type TextFacts } from './sms-messages';
import { SMS_MESSAGE_PARAM } from './sms-routes';
import { monthStart, textableAt } from './sms.rules';
import { optOutNumber, recordSmsFailed, recordSmsSent, reserveSms } from './sms.sql';

export interface SmsDeps {
  /** Reads (outside any transaction) of what a text says and to whom. */
  readonly sql: Sql;
  /** The message's reservation, and the jobs a text writes (a mail instead, a reminder after quiet hours). */
  readonly transactions: Transactions;
  readonly sender: SmsSender;
  /** PUBLIC_URL + /sms/twilio/status. */
  readonly statusCallback: string;
  /** SMS_MONTHLY_BUDGET: texts per practice per calendar month. */
  readonly monthlyBudget: number;
  readonly logger: Logger;
}

const skipped = (reason: string): JobResult => ({ outcome: 'skipped', reason });

function factsOf(parties: AppointmentParties, startsAt: Date): TextFacts {
  return { practiceName: parties.practice.name, doctorName: parties.doctor.name, startsAt, timeZone: parties.timeZone };
}

/**
 * The confirmation, change or cancellation text, beside the mail of the same event. The time is the
 * one the change left (stored in the job), so a retry sends the same words.
 */
export function appointmentSmsHandler(deps: SmsDeps): JobHandler<AppointmentMailJob> {
  return {
    kind: SmsJobKind.Appointment,
    payload: AppointmentMailJob,
    async run(job, context) {
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      const why = whyNoText(parties);
      if (why) return skipped(why);
      if (!parties.preferences.confirmations) return skipped('the patient turned confirmations off');
      const key = smsJobKey.appointment(job.eventId);
      return sendOnce(deps, context, parties, {
        key,
        kind: SMS_KIND_OF[job.change],
        body: appointmentText(job.change, factsOf(parties, new Date(job.startsAt))),
        fallback: { kind: MailJobKind.Appointment, payload: { ...job, fallback: true }, dedupeKey: smsJobKey.mailFallback(key) },
      });
    },
  };
}

/**
 * The reminder text. Like the mail reminder it re-reads the appointment (cancelled, moved or started:
 * nothing). Due in quiet hours (21:00-08:00 on the practice's clock), it moves itself to 08:00.
 */
export function reminderSmsHandler(deps: SmsDeps): JobHandler<ReminderMailJob> {
  return {
    kind: SmsJobKind.Reminder,
    payload: ReminderMailJob,
    async run(job, context) {
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      if (parties.status !== 'BOOKED') return skipped(`the appointment is ${parties.status.toLowerCase()}`);
      if (parties.startsAt.getTime() !== new Date(job.startsAt).getTime()) return skipped('the appointment moved');
      if (parties.startsAt.getTime() <= context.now.getTime()) return skipped('the appointment has started');
      if (!parties.preferences.reminders) return skipped('the patient turned reminders off');
      const why = whyNoText(parties);
      if (why) return skipped(why);
      const key = smsJobKey.reminder(job.appointmentId, parties.startsAt);
      const at = textableAt(context.now, parties.timeZone);
      if (at.getTime() > context.now.getTime()) {
        await deps.transactions.run((tx) =>
          enqueueJobs(tx, [{ kind: SmsJobKind.Reminder, payload: job, runAt: at, dedupeKey: smsJobKey.afterQuietHours(key) }]),
        );
        return skipped(`quiet hours in ${parties.timeZone}: texted at ${at.toISOString()} instead`);
      }
      return sendOnce(deps, context, parties, {
        key,
        kind: SmsKind.Reminder,
        body: reminderText(factsOf(parties, parties.startsAt)),
        fallback: { kind: MailJobKind.Reminder, payload: { ...job, fallback: true }, dedupeKey: smsJobKey.mailFallback(key) },
      });
    },
  };
}

interface Text {
  /** The message key (sms_messages.message_key): one text per key, whatever the retries. */
  readonly key: string;
  readonly kind: SmsKind;
  readonly body: string;
  /** The mail sent instead when the text cannot go. */
  readonly fallback: NewJob;
}

/**
 * Sends a text at least once and, outside one window, at most once: its row is reserved (and the
 * practice's budget checked) in a transaction before Twilio is asked, and Twilio's sid recorded
 * after it answers. A retry finds the sid and sends nothing; only a crash between Twilio's answer
 * and that record sends the text again (docs/messaging.md). Over budget: refused, recorded, logged,
 * and the mail goes instead. Twilio's 21610 (the number unsubscribed): the number is opted out, the
 * mail goes instead, no retry. Any other 4xx is permanent; 429, 5xx and no answer are retried.
 */
async function sendOnce(deps: SmsDeps, context: JobContext, parties: AppointmentParties, text: Text): Promise<JobResult> {
  const phone = parties.phone;
  if (phone === null) return skipped('the patient has no phone');
  const now = context.now;
  const reserved = await deps.transactions.run(async (tx) => {
    const row = await reserveSms(
      tx,
      {
        messageKey: text.key,
        practiceId: parties.practice.id,
        userId: parties.patient.id,
        appointmentId: parties.appointmentId,
        kind: text.kind,
        toPhone: phone,
      },
      { since: monthStart(now, parties.timeZone), limit: deps.monthlyBudget },
      now,
    );
    if (row.status === 'refused') await enqueueJobs(tx, [text.fallback]);
    return row;
  });
  if (reserved.status === 'refused') {
    deps.logger.warn(
      { practiceId: parties.practice.id, appointmentId: parties.appointmentId, kind: text.kind },
      'SMS_MONTHLY_BUDGET reached: text refused, mailed instead',
    );
    return skipped("the practice's monthly SMS budget is spent: mailed instead");
  }
  if (reserved.twilioSid !== null || reserved.status !== 'sending') return skipped(`already ${reserved.status}`);
  try {
    // The row's id in the callback's URL: Twilio may report a status before recordSmsSent has run.
    const statusCallback = `${deps.statusCallback}?${SMS_MESSAGE_PARAM}=${reserved.id}`;
    const sent = await deps.sender.send({ to: phone, body: text.body, statusCallback });
    await recordSmsSent(deps.sql, text.key, sent, now);
    return DONE;
  } catch (error) {
    if (!(error instanceof SmsSendError)) throw error;
    if (error.code === TWILIO_UNSUBSCRIBED) {
      await deps.transactions.run(async (tx) => {
        await recordSmsFailed(tx, text.key, error.code ?? null, now);
        await optOutNumber(tx, phone, String(TWILIO_UNSUBSCRIBED), now);
        await enqueueJobs(tx, [text.fallback]);
      });
      return skipped('the number is unsubscribed (Twilio 21610): opted out, mailed instead');
    }
    if (error.permanent) {
      await recordSmsFailed(deps.sql, text.key, error.code ?? null, now);
      throw new PermanentJobError(error.message);
    }
    throw error;
  }
}
