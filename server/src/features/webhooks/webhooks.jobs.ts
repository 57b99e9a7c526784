import { z } from 'zod';
import { AppointmentJson } from '../appointments/appointments.mapper';

/** Every event type an endpoint can subscribe to (API.md). */
export const WEBHOOK_EVENT_TYPES = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.checked_in',
  'appointment.completed',
  'appointment.no_show',
  'appointment.confirmed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(text: string): text is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(text);
}

export const WebhookJobKind = {
  /** One committed event: finds the practice's endpoints subscribed to it and writes a delivery each. */
  Fanout: 'webhook.fanout',
  /** One delivery to one endpoint, retried for WEBHOOK_RETRY_WINDOW. */
  Delivery: 'webhook.delivery',
} as const;

export const WebhookFanoutJob = z.object({
  /** The event's id as receivers see it (CareLine-Event-Id): the same on every retry and redelivery. */
  eventId: z.string(),
  type: z.string(),
  createdAt: z.iso.datetime(),
  doctorId: z.string(),
  appointment: AppointmentJson,
});
export type WebhookFanoutJob = z.infer<typeof WebhookFanoutJob>;

export const WebhookDeliveryJob = z.object({ deliveryId: z.string() });
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;

/** The body receivers get, as API.md promises it. */
export interface WebhookBody {
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly data: {
    readonly appointment: AppointmentJson;
    readonly patient: { readonly id: string; readonly name: string };
    readonly doctor: { readonly id: string; readonly name: string };
  };
}

/**
 * The appointment as an endpoint without includeReason receives it: the same fields (receivers'
 * parsers keep working), its free text (`reason`, `cancellationReason`) null.
 */
export function withoutFreeText(appointment: AppointmentJson): AppointmentJson {
  return { ...appointment, reason: null, ...(appointment.cancellationReason === undefined ? {} : { cancellationReason: null }) };
}

export const webhookJobKey = {
  fanout: (eventId: string) => `webhook:event:${eventId}`,
  delivery: (deliveryId: string) => `webhook:delivery:${deliveryId}`,
};
