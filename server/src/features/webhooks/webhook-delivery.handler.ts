import { retryDelayMs } from '../../jobs/backoff';
import { DONE, type JobContext, type JobHandler } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { DataCipher } from '../../platform/data-cipher';
import type { PrismaReader } from '../../platform/database';
import { WebhookAddressRefused } from '../../outbound/address-guard';
import { sendWebhook, WebhookSendError } from '../../outbound/webhook-sender';
import { openWebhookSecret } from './webhook-secrets';
import { signatureHeader } from './webhook-signature';
import { WebhookDeliveryJob, WebhookJobKind } from './webhooks.jobs';
import { failForDisabledEndpoint, markAttemptFailed, markDelivered, markEndpointFailing } from './webhooks.sql';

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
export function webhookDeliveryHandler(
  deps: { readonly prisma: PrismaReader; readonly transactions: Transactions; readonly cipher: DataCipher },
  options: WebhookDeliveryOptions,
): JobHandler<WebhookDeliveryJob> {
  const { prisma, transactions, cipher } = deps;
  return {
    kind: WebhookJobKind.Delivery,
    payload: WebhookDeliveryJob,
    async run(job, context) {
      const delivery = await prisma.webhookDelivery.findUnique({ where: { id: job.deliveryId }, include: { endpoint: true } });
      if (!delivery) return { outcome: 'skipped', reason: 'the endpoint was deleted' };
      if (delivery.endpoint.deletedAt) {
        await transactions.run((tx) => failForDisabledEndpoint(tx, delivery.id, 'the endpoint was deleted'));
        return { outcome: 'skipped', reason: 'the endpoint was deleted' };
      }
      if (delivery.endpoint.disabledAt) {
        await transactions.run((tx) => failForDisabledEndpoint(tx, delivery.id, 'the endpoint is disabled'));
        return { outcome: 'skipped', reason: 'the endpoint is disabled' };
      }
      // Throws when no data key opens it (an attempt failed like any other: retried, then the
      // endpoint disabled); the error names no secret.
      const secret = openWebhookSecret(cipher, delivery.endpoint.id, delivery.endpoint.secret);
      const unixSeconds = Math.floor(context.now.getTime() / 1000);
      const status = await sendWebhook(
        {
          url: delivery.endpoint.url,
          body: delivery.body,
          headers: {
            'user-agent': 'CareLine-Webhooks/1',
            'careline-event-id': delivery.eventId,
            'careline-signature': signatureHeader(secret, delivery.body, unixSeconds),
          },
        },
        { allowPrivate: options.allowPrivate, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
      );
      await transactions.run((tx) => markDelivered(tx, delivery.id, { attempt: context.attempt, statusCode: status, at: context.now }));
      return DONE;
    },
    retryAt(context) {
      // Even a refused address is tried again: the endpoint's DNS may be fixed within the window.
      return nextWebhookAttempt(context, options);
    },
    async onFailure(job, context, error, retryAt) {
      const reason = `Every delivery failed for ${windowText(options.retryWindowMs)}; the last one: ${error.message}`;
      await transactions.run(async (tx) => {
        const endpointId = await markAttemptFailed(tx, job.deliveryId, {
          status: retryAt ? 'retrying' : 'failed',
          attempt: context.attempt,
          statusCode: error instanceof WebhookSendError ? (error.statusCode ?? null) : null,
          error: error instanceof WebhookSendError || error instanceof WebhookAddressRefused ? error.message : 'could not send',
          nextAttemptAt: retryAt ?? null,
        });
        // Its run of failures begins now unless one is under way; once it has lasted the whole
        // window (no delivery got through since), the endpoint is disabled with the reason, and
        // its remaining deliveries stop.
        if (endpointId !== null) {
          await markEndpointFailing(tx, endpointId, {
            at: context.now,
            disableIfFailingSince: new Date(context.now.getTime() - options.retryWindowMs),
            reason: reason.slice(0, 500),
          });
        }
      });
    },
  };
}

/** The next attempt's time, or undefined once the retry window since the event has passed. */
export function nextWebhookAttempt(
  context: JobContext,
  options: Pick<WebhookDeliveryOptions, 'retryWindowMs' | 'retryBaseMs'>,
): Date | undefined {
  const deadline = context.createdAt.getTime() + options.retryWindowMs;
  const next = context.now.getTime() + retryDelayMs(context.attempt, options.retryBaseMs);
  if (context.now.getTime() >= deadline) return undefined;
  return new Date(Math.min(next, deadline));
}

/** "24 h", "90 min". */
function windowText(ms: number): string {
  return ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}
