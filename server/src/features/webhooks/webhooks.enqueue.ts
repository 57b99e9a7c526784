import type { PendingEvent } from '../../live/outbox';
import type { Sql, Statement } from '../../platform/sql';
import { payloadOf, type TopicName } from '../../live/topics';
import { AppointmentTopic } from '../appointments/appointments.events';
import type { AppointmentJson } from '../appointments/appointments.mapper';
import { isWebhookEventType, WebhookJobKind, webhookJobKey, type WebhookFanoutJob } from './webhooks.jobs';

/**
 * Writes, in the transaction of the events (EventTap), one fan-out job per committed appointment
 * event whose doctor's practice has an endpoint taking its type (not disabled) at that moment:
 * one statement, and no job at all for the many practices without webhooks (a job each would cost
 * its claim, its read and its finish, for every booking). Which of the endpoints get it is decided
 * when the job runs. The doctor-stream copy is the one that counts (each change is written there once).
 */
export async function enqueueWebhookFanout(sql: Sql, events: ReadonlyArray<PendingEvent<TopicName>>, now: Date): Promise<void> {
  const jobs = webhookFanoutJobs(events, now);
  if (jobs.length === 0) return;
  await sql.query(ENQUEUE_FANOUT_IF_SUBSCRIBED, [
    jobs.map((job) => JSON.stringify(job.payload)),
    jobs.map((job) => job.dedupeKey),
    jobs.map((job) => job.payload.doctorId),
    jobs.map((job) => job.payload.type),
  ]);
}

const ENQUEUE_FANOUT_IF_SUBSCRIBED: Statement = {
  name: 'webhooks_enqueue_fanout',
  text: `
    INSERT INTO jobs (kind, payload, dedupe_key)
    SELECT '${WebhookJobKind.Fanout}', j.payload, j.dedupe_key
    FROM unnest($1::jsonb[], $2::text[], $3::uuid[], $4::text[]) AS j(payload, dedupe_key, doctor_id, event_type)
    WHERE EXISTS (SELECT 1 FROM doctors d JOIN webhook_endpoints e ON e.practice_id = d.practice_id
                  WHERE d.id = j.doctor_id AND e.disabled_at IS NULL AND j.event_type = ANY(e.events))
    ON CONFLICT DO NOTHING`,
};

function webhookFanoutJobs(events: ReadonlyArray<PendingEvent<TopicName>>, now: Date): Array<{ payload: WebhookFanoutJob; dedupeKey: string }> {
  const jobs: Array<{ payload: WebhookFanoutJob; dedupeKey: string }> = [];
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
    jobs.push({ payload, dedupeKey: webhookJobKey.fanout(eventId) });
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
