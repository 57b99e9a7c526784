import type { PrismaClient } from '../../generated/prisma/client';
import { retryDelayMs } from '../../jobs/backoff';
import { DONE, type JobContext, type JobHandler } from '../../jobs/job-types';
import { WebhookAddressRefused } from './webhook-address-guard';
import { sendWebhook, WebhookSendError } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { WebhookDeliveryJob, WebhookJobKind } from './webhooks.jobs';

export interface WebhookDeliveryOptions {
  readonly allowPrivate: boolean;
  /** WEBHOOK_RETRY_WINDOW: how long a delivery is retried, and an endpoint may fail before it is disabled. */
  readonly retryWindowMs: number;
  /** JOB_RETRY_BASE: the first retry's delay, doubled per attempt with jitter. */
  readonly retryBaseMs: number;
  readonly timeoutMs?: number;
}

/**
 * Sends one delivery: the stored body, signed now (`t` is the send time), to the endpoint's URL
 * after the SSRF check. A 2xx within 10 s is delivered; anything else is retried with exponential
 * backoff and jitter until WEBHOOK_RETRY_WINDOW after the event, then the delivery has failed. An
 * endpoint whose failures have lasted that long is disabled, with its reason, for its admin to see.
 */
export function webhookDeliveryHandler(prisma: PrismaClient, options: WebhookDeliveryOptions): JobHandler<WebhookDeliveryJob> {
  return {
    kind: WebhookJobKind.Delivery,
    payload: WebhookDeliveryJob,
    async run(job, context) {
      const delivery = await prisma.webhookDelivery.findUnique({ where: { id: job.deliveryId }, include: { endpoint: true } });
      if (!delivery) return { outcome: 'skipped', reason: 'the endpoint was deleted' };
      if (delivery.endpoint.disabledAt) {
        await prisma.webhookDelivery.update({
          where: { id: delivery.id },
          data: { status: 'failed', lastError: 'the endpoint is disabled', nextAttemptAt: null },
        });
        return { outcome: 'skipped', reason: 'the endpoint is disabled' };
      }
      const unixSeconds = Math.floor(context.now.getTime() / 1000);
      const status = await sendWebhook(
        {
          url: delivery.endpoint.url,
          body: delivery.body,
          headers: {
            'user-agent': 'CareLine-Webhooks/1',
            'careline-event-id': delivery.eventId,
            'careline-signature': signatureHeader(delivery.endpoint.secret, delivery.body, unixSeconds),
          },
        },
        { allowPrivate: options.allowPrivate, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
      );
      await prisma.$transaction([
        prisma.webhookDelivery.update({
          where: { id: delivery.id },
          data: { status: 'delivered', attempts: context.attempt, lastStatusCode: status, lastError: null, nextAttemptAt: null, deliveredAt: context.now },
        }),
        prisma.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failingSince: null } }),
      ]);
      return DONE;
    },
    retryAt(context) {
      // Even a refused address is tried again: the endpoint's DNS may be fixed within the window.
      return nextWebhookAttempt(context, options);
    },
    async onFailure(job, context, error, retryAt) {
      const delivery = await prisma.webhookDelivery.findUnique({ where: { id: job.deliveryId }, select: { endpointId: true } });
      if (!delivery) return;
      await prisma.webhookDelivery.update({
        where: { id: job.deliveryId },
        data: {
          status: retryAt ? 'retrying' : 'failed',
          attempts: context.attempt,
          lastStatusCode: error instanceof WebhookSendError ? (error.statusCode ?? null) : null,
          lastError: error instanceof WebhookSendError || error instanceof WebhookAddressRefused ? error.message : 'could not send',
          nextAttemptAt: retryAt ?? null,
        },
      });
      await recordEndpointFailure(prisma, delivery.endpointId, context.now, options.retryWindowMs, error);
    },
  };
}

/** The next attempt's time, or undefined once the retry window since the event has passed. */
export function nextWebhookAttempt(context: JobContext, options: Pick<WebhookDeliveryOptions, 'retryWindowMs' | 'retryBaseMs'>): Date | undefined {
  const deadline = context.createdAt.getTime() + options.retryWindowMs;
  const next = context.now.getTime() + retryDelayMs(context.attempt, options.retryBaseMs);
  if (context.now.getTime() >= deadline) return undefined;
  return new Date(Math.min(next, deadline));
}

/**
 * Marks when an endpoint began failing; once it has failed for the whole window (no delivery got
 * through since), it is disabled with the reason, and its remaining deliveries stop.
 */
async function recordEndpointFailure(prisma: PrismaClient, endpointId: string, now: Date, windowMs: number, error: Error): Promise<void> {
  await prisma.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: null }, data: { failingSince: now } });
  const since = new Date(now.getTime() - windowMs);
  const reason = `Every delivery failed for ${windowText(windowMs)}; the last one: ${error.message}`;
  await prisma.webhookEndpoint.updateMany({
    where: { id: endpointId, disabledAt: null, failingSince: { lte: since } },
    data: { disabledAt: now, disabledReason: reason.slice(0, 500) },
  });
}

/** "24 h", "90 min". */
function windowText(ms: number): string {
  return ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}
