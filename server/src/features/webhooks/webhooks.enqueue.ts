import type { NewJob } from '../../jobs/job-types';
import type { PendingEvent } from '../../live/outbox';
import { payloadOf, type TopicName } from '../../live/topics';
import { AppointmentTopic } from '../appointments/appointments.events';
import type { AppointmentJson } from '../appointments/appointments.mapper';
import { isWebhookEventType, WebhookJobKind, webhookJobKey, type WebhookFanoutJob } from './webhooks.jobs';

/**
 * One fan-out job per committed appointment event, to be written in its transaction (EventTap). The
 * doctor-stream copy is the one that counts (each change is written there once). Which endpoints
 * get it is decided when the job runs, so a booking's transaction writes one more job row only.
 */
export function webhookFanoutJobs(events: ReadonlyArray<PendingEvent<TopicName>>, now: Date): NewJob[] {
  const jobs: NewJob[] = [];
  for (const event of events) {
    const described = describe(event);
    if (!described) continue;
    const eventId = `evt_${String(event.eventId)}`;
    const payload: WebhookFanoutJob = {
      eventId,
      type: described.type,
      createdAt: now.toISOString(),
      doctorId: described.appointment.doctorId,
      appointment: described.appointment,
    };
    jobs.push({ kind: WebhookJobKind.Fanout, payload, dedupeKey: webhookJobKey.fanout(eventId) });
  }
  return jobs;
}

function describe(event: PendingEvent<TopicName>): { type: string; appointment: AppointmentJson } | undefined {
  const booked = payloadOf(event.message, AppointmentTopic.PatientAdded);
  if (booked) return { type: 'appointment.booked', appointment: booked.appointment };
  const updated = payloadOf(event.message, AppointmentTopic.AppointmentUpdated);
  if (!updated) return undefined;
  // CANCELLED -> appointment.cancelled, CHECKED_IN -> appointment.checked_in, NO_SHOW -> appointment.no_show...
  const type = `appointment.${updated.change.toLowerCase()}`;
  return isWebhookEventType(type) ? { type, appointment: updated.appointment } : undefined;
}
