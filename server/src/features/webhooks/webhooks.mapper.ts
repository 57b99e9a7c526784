import type { WebhookDelivery as DeliveryRow, WebhookEndpoint as EndpointRow } from '../../generated/prisma/client';
import type { WebhookDelivery, WebhookEndpoint } from './webhooks.type';

export function toWebhookEndpoint(row: EndpointRow, secret: string | null = null): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: row.createdAt,
    secret,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
  };
}

export function toWebhookDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    attempts: row.attempts,
    status: row.status,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}
