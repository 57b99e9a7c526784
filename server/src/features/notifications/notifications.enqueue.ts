import type { Sql } from '../../platform/sql';
import type { NewJob } from '../../jobs/job-types';
import type { PendingEvent } from '../../live/outbox';
import { payloadOf, type TopicName } from '../../live/topics';
import { AppointmentChange, AppointmentTopic } from '../appointments/appointments.events';
import type { AppointmentJson } from '../appointments/appointments.mapper';
import { MailJobKind, mailJobKey, SmsJobKind, smsJobKey, type AppointmentMailJob, type ReminderMailJob } from './notifications.jobs';
import { reminderDueAt } from './notifications.rules';
import { bumpCalendarSequence } from './notifications.sql';

/** What a committed appointment event means for the patient's mail. */
interface MailWorthy {
  readonly eventId: string;
  readonly change: AppointmentMailJob['change'];
  readonly appointment: AppointmentJson;
}

/**
 * The patient's mail jobs (and, when `texts`, the text jobs beside them) for the events of one transaction, to be written in that transaction
 * (EventTap, background.ts): a confirmation, cancellation or reschedule notice per change, and a reminder due
 * REMINDER_HOURS_BEFORE the (new) start. Only the doctor-stream copy of an event counts, so a
 * change that is written to two streams is mailed once. The appointment's calendar SEQUENCE is
 * bumped here for a change, under the row lock the change already holds.
 */
export async function mailJobsFor(
  sql: Sql,
  events: ReadonlyArray<PendingEvent<TopicName>>,
  options: { readonly reminderHoursBefore: number; readonly now: Date; readonly texts: boolean },
): Promise<NewJob[]> {
  const jobs: NewJob[] = [];
  for (const worthy of events.map(mailWorthy)) {
    if (!worthy) continue;
    const { appointment } = worthy;
    const sequence = await calendarSequence(sql, appointment.id, worthy.change === 'BOOKED');
    const mail: AppointmentMailJob = {
      eventId: worthy.eventId,
      change: worthy.change,
      appointmentId: appointment.id,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      sequence,
    };
    jobs.push({ kind: MailJobKind.Appointment, payload: mail, dedupeKey: mailJobKey.appointment(worthy.eventId) });
    // The text beside it (its handler skips patients who did not choose SMS).
    if (options.texts) jobs.push({ kind: SmsJobKind.Appointment, payload: mail, dedupeKey: smsJobKey.appointment(worthy.eventId) });
    if (worthy.change === 'CANCELLED') continue;
    const startsAt = new Date(appointment.startsAt);
    const due = reminderDueAt(startsAt, options.reminderHoursBefore, options.now);
    if (!due) continue;
    const reminder: ReminderMailJob = { appointmentId: appointment.id, startsAt: appointment.startsAt };
    jobs.push({ kind: MailJobKind.Reminder, payload: reminder, runAt: due, dedupeKey: mailJobKey.reminder(appointment.id, startsAt) });
    if (options.texts)
      jobs.push({ kind: SmsJobKind.Reminder, payload: reminder, runAt: due, dedupeKey: smsJobKey.reminder(appointment.id, startsAt) });
  }
  return jobs;
}

function mailWorthy(event: PendingEvent<TopicName>): MailWorthy | undefined {
  const eventId = String(event.eventId);
  const booked = payloadOf(event.message, AppointmentTopic.PatientAdded);
  if (booked) return { eventId, change: 'BOOKED', appointment: booked.appointment };
  const updated = payloadOf(event.message, AppointmentTopic.AppointmentUpdated);
  if (updated?.change === AppointmentChange.CANCELLED) return { eventId, change: 'CANCELLED', appointment: updated.appointment };
  if (updated?.change === AppointmentChange.RESCHEDULED) return { eventId, change: 'RESCHEDULED', appointment: updated.appointment };
  return undefined;
}

/**
 * 0 for a booking; each later change one more (RFC 5545: the higher SEQUENCE wins). A booking
 * writes nothing (no row means 0: the appointment is new), so the booking transaction pays no
 * statement for it; the first change inserts 1. An event about an appointment that has no row (a
 * hand-written event) gets 0 and never fails the write.
 */
async function calendarSequence(sql: Sql, appointmentId: string, booking: boolean): Promise<number> {
  if (booking) return 0;
  return (await bumpCalendarSequence(sql, appointmentId)) ?? 0;
}
