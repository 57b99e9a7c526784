import { conditionalJobsWrite, enqueueJobs, enqueueWhereStatement, type ConditionalJob } from '../../jobs/job-queue';
import type { PendingEvent } from '../../live/outbox';
import { payloadOf, type TopicName } from '../../live/topics';
import type { Tx } from '../../live/transactions';
import type { Sql, SqlWrite } from '../../platform/sql';
import { AppointmentTopic } from '../appointments/appointments.events';
import type { AppointmentJson } from '../appointments/appointments.mapper';
import { doctorPracticeId } from '../doctors/doctors.sql';
import { isWebhookEventType, WebhookJobKind, webhookJobKey, type WebhookDeliveryJob, type WebhookFanoutJob } from './webhooks.jobs';
import { endpointTakesEvent, insertDelivery, insertMissingDeliveries, type NewDelivery } from './webhooks.sql';

/** How the webhook jobs are written: a fan-out per appointment event, and a delivery job per delivery. */

/**
 * What writes, in the transaction of the events (the EventTap hands it back to go with COMMIT),
 * one fan-out job per committed appointment event whose doctor's practice has an endpoint taking
 * its type (not disabled) at that moment: one statement, and no job at all for the many practices
 * without webhooks (a job each would cost its claim, its read and its finish, for every booking).
 * Which of the endpoints get it is decided when the job runs. The doctor-stream copy is the one
 * that counts (each change is written there once).
 */
export function webhookFanoutWrite(events: ReadonlyArray<PendingEvent<TopicName>>, now: Date): SqlWrite | undefined {
  return conditionalJobsWrite(ENQUEUE_FANOUT_IF_SUBSCRIBED, webhookFanoutJobs(events, now));
}

const ENQUEUE_FANOUT_IF_SUBSCRIBED = enqueueWhereStatement({
  name: 'webhooks_enqueue_fanout',
  kind: WebhookJobKind.Fanout,
  columns: [
    { name: 'doctor_id', type: 'uuid' },
    { name: 'event_type', type: 'text' },
  ],
  condition: endpointTakesEvent(doctorPracticeId('j.doctor_id'), 'j.event_type'),
});

function webhookFanoutJobs(events: ReadonlyArray<PendingEvent<TopicName>>, now: Date): ConditionalJob[] {
  const jobs: ConditionalJob[] = [];
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
    jobs.push({ payload, dedupeKey: webhookJobKey.fanout(eventId), values: [payload.doctorId, payload.type] });
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

/**
 * Writes a delivery of one event to one endpoint and the job that sends it, in the caller's
 * transaction: the log never shows a delivery nobody will send, nor does a job send one the log lacks.
 */
export async function createDelivery(tx: Tx, delivery: NewDelivery): Promise<string> {
  const id = await insertDelivery(tx, delivery);
  await enqueueDeliveryJobs(tx, [id]);
  return id;
}

/**
 * createDelivery for each of these endpoints that has no delivery of the event yet (a fan-out run
 * again writes nothing twice); resolves with those written.
 */
export async function createMissingDeliveries(
  tx: Tx,
  event: Omit<NewDelivery, 'endpointId'>,
  endpointIds: readonly string[],
): Promise<Array<{ readonly id: string; readonly endpointId: string }>> {
  const written = await insertMissingDeliveries(tx, event, endpointIds);
  await enqueueDeliveryJobs(
    tx,
    written.map((delivery) => delivery.id),
  );
  return written;
}

function enqueueDeliveryJobs(sql: Sql, deliveryIds: readonly string[]): Promise<void> {
  return enqueueJobs(
    sql,
    deliveryIds.map((deliveryId) => {
      const payload: WebhookDeliveryJob = { deliveryId };
      return { kind: WebhookJobKind.Delivery, payload, dedupeKey: webhookJobKey.delivery(deliveryId) };
    }),
  );
}
