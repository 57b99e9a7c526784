import type { PrismaClient } from '../../generated/prisma/client';
import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import { createDelivery } from './webhooks.deliveries';
import { WebhookFanoutJob, WebhookJobKind, type WebhookBody } from './webhooks.jobs';

/** The practice an appointment's doctor belongs to (the practices feature knows; undefined: none). */
export type PracticeOfDoctor = (doctorId: string) => Promise<string | undefined>;

/**
 * One committed event -> one delivery per endpoint of the doctor's practice subscribed to its
 * type (and not disabled): only that practice's endpoints, so one practice never receives
 * another's events. The body is built once here and stored, so every retry sends the same bytes.
 * Running twice (at least once) adds no second delivery: endpoints that have one are skipped.
 */
export function webhookFanoutHandler(prisma: PrismaClient, practiceOfDoctor: PracticeOfDoctor, onEnqueued: () => void): JobHandler<WebhookFanoutJob> {
  return {
    kind: WebhookJobKind.Fanout,
    payload: WebhookFanoutJob,
    async run(job) {
      const practiceId = await practiceOfDoctor(job.doctorId);
      if (!practiceId) return { outcome: 'skipped', reason: 'the doctor belongs to no practice' };
      const endpoints = await prisma.webhookEndpoint.findMany({
        where: { practiceId, disabledAt: null, events: { has: job.type } },
        select: { id: true },
      });
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
