import type { WebhookDelivery as DeliveryRow } from '../../generated/prisma/client';
import type { EndpointRecord } from './webhooks.sql';
import type { WebhookDelivery, WebhookEndpoint } from './webhooks.type';

/** An endpoint as the API shows it; `secret` only in the answer that made it. Takes a Prisma row or a statement's. */
export function toWebhookEndpoint(row: EndpointRecord, secret: string | null = null): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: row.createdAt,
    secret,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    includeReason: row.includeReason,
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
