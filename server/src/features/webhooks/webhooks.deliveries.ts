import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { enqueueJobs } from '../../jobs/job-queue';
import { WebhookJobKind, webhookJobKey, type WebhookDeliveryJob } from './webhooks.jobs';
import { prismaSql } from '../../platform/sql';

/** A delivery's state as the API shows it: pending (not tried yet), retrying, delivered or failed (for good). */
export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/**
 * Writes a delivery of one event to one endpoint and the job that sends it, in one transaction:
 * the log never shows a delivery nobody will send, nor does a job send one the log lacks.
 */
export async function createDelivery(
  db: Prisma.TransactionClient,
  delivery: { readonly endpointId: string; readonly eventId: string; readonly eventType: string; readonly body: string },
): Promise<string> {
  const row = await db.webhookDelivery.create({ data: delivery, select: { id: true } });
  const job: WebhookDeliveryJob = { deliveryId: row.id };
  await enqueueJobs(prismaSql(db), [{ kind: WebhookJobKind.Delivery, payload: job, dedupeKey: webhookJobKey.delivery(row.id) }]);
  return row.id;
}

/** createDelivery in a transaction of its own. */
export function createDeliveryNow(prisma: PrismaClient, delivery: Parameters<typeof createDelivery>[1]): Promise<string> {
  return prisma.$transaction((tx) => createDelivery(tx, delivery));
}
