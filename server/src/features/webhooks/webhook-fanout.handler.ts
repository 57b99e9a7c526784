import { z } from 'zod';
import type { PrismaClient } from '../../generated/prisma/client';
import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import type { Sql, Statement } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { createDelivery } from './webhooks.deliveries';
import { WebhookFanoutJob, WebhookJobKind, type WebhookBody } from './webhooks.jobs';

/**
 * The doctor's practice and its endpoints that take this event type and are not disabled, in one
 * statement (the worker runs this for every appointment event). No row: no such doctor.
 */
const ENDPOINTS_FOR_EVENT: Statement = {
  name: 'webhooks_endpoints_for_event',
  text: `
    SELECT d.practice_id, coalesce(array_agg(e.id::text ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), '{}'::text[]) AS endpoint_ids
    FROM doctors d
    LEFT JOIN webhook_endpoints e ON e.practice_id = d.practice_id AND e.disabled_at IS NULL AND $2::text = ANY(e.events)
    WHERE d.id = $1::uuid
    GROUP BY d.practice_id`,
};

const EndpointsRow = z.object({ practice_id: z.string(), endpoint_ids: z.array(z.string()) });

/**
 * One committed event -> one delivery per endpoint of the doctor's practice subscribed to its
 * type (and not disabled): only that practice's endpoints, so one practice never receives
 * another's events. The body is built once here and stored, so every retry sends the same bytes.
 * Running twice (at least once) adds no second delivery: endpoints that have one are skipped.
 */
export function webhookFanoutHandler(prisma: PrismaClient, sql: Sql, onEnqueued: () => void): JobHandler<WebhookFanoutJob> {
  return {
    kind: WebhookJobKind.Fanout,
    payload: WebhookFanoutJob,
    async run(job) {
      const [found] = isUuid(job.doctorId) ? await sql.query(ENDPOINTS_FOR_EVENT, [job.doctorId, job.type]) : [];
      if (found === undefined) return { outcome: 'skipped', reason: 'the doctor belongs to no practice' };
      const endpoints = EndpointsRow.parse(found).endpoint_ids.map((id) => ({ id }));
      if (endpoints.length === 0) return DONE;
      const [patient, doctor] = await Promise.all([
        prisma.user.findUnique({ where: { id: job.appointment.patientId }, select: { id: true, name: true } }),
        prisma.user.findUnique({ where: { id: job.doctorId }, select: { id: true, name: true } }),
      ]);
      if (!patient || !doctor) throw new PermanentJobError('the patient or doctor does not exist');
      const body: WebhookBody = { id: job.eventId, type: job.type, createdAt: job.createdAt, data: { appointment: job.appointment, patient, doctor } };
      const raw = JSON.stringify(body);
      await prisma.$transaction(async (tx) => {
        const done = await tx.webhookDelivery.findMany({ where: { eventId: job.eventId, endpointId: { in: endpoints.map((e) => e.id) } }, select: { endpointId: true } });
        const have = new Set(done.map((delivery) => delivery.endpointId));
        for (const endpoint of endpoints) {
          if (!have.has(endpoint.id)) await createDelivery(tx, { endpointId: endpoint.id, eventId: job.eventId, eventType: job.type, body: raw });
        }
      });
      onEnqueued();
      return DONE;
    },
  };
}
