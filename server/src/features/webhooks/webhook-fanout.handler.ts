import { AuditAction, webhookActor } from '../../audit/audit-entry';
import type { AuditTrail } from '../../audit/audit-trail';
import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { createMissingDeliveries } from './webhooks.enqueue';
import { WebhookFanoutJob, WebhookJobKind, withoutFreeText, type WebhookBody } from './webhooks.jobs';
import { readFanoutTargets } from './webhooks.sql';

/**
 * One committed event -> one delivery per endpoint of the doctor's practice subscribed to its
 * type (and neither disabled nor deleted); the appointment's free-text reasons only to endpoints
 * created with includeReason: true: only that practice's endpoints, so one practice never receives
 * another's events. The body is built once here and stored, so every retry sends the same bytes.
 * Running twice (at least once) adds no second delivery: endpoints that have one are skipped.
 */
export function webhookFanoutHandler(
  deps: { readonly sql: Sql; readonly transactions: Transactions; readonly audit: AuditTrail },
  onEnqueued: () => void,
): JobHandler<WebhookFanoutJob> {
  return {
    kind: WebhookJobKind.Fanout,
    payload: WebhookFanoutJob,
    async run(job) {
      if (!isUuid(job.doctorId)) return { outcome: 'skipped', reason: 'the doctor belongs to no practice' };
      const patientId = job.appointment.patientId;
      const targets = await readFanoutTargets(deps.sql, job.doctorId, job.type, isUuid(patientId) ? patientId : null);
      if (targets.practiceId === null) return { outcome: 'skipped', reason: 'the doctor belongs to no practice' };
      if (targets.endpointIds.length === 0) return DONE;
      const { patientName, doctorName } = targets;
      if (patientName === null || doctorName === null) throw new PermanentJobError('the patient or doctor does not exist');
      const bodyWith = (appointment: WebhookBody['data']['appointment']): string =>
        JSON.stringify({
          id: job.eventId,
          type: job.type,
          createdAt: job.createdAt,
          data: {
            appointment,
            patient: { id: patientId, name: patientName },
            doctor: { id: job.doctorId, name: doctorName },
          },
        } satisfies WebhookBody);
      // No free text unless the endpoint opted in: the reasons say why someone sees a doctor.
      const withReason = new Set(targets.reasonEndpointIds);
      const withoutReasonIds = targets.endpointIds.filter((id) => !withReason.has(id));
      const event = { eventId: job.eventId, eventType: job.type };
      const { practiceId } = targets;
      await deps.transactions.run(async (tx) => {
        const written = [
          ...(withoutReasonIds.length > 0
            ? await createMissingDeliveries(tx, { ...event, body: bodyWith(withoutFreeText(job.appointment)) }, withoutReasonIds)
            : []),
          ...(withReason.size > 0 ? await createMissingDeliveries(tx, { ...event, body: bodyWith(job.appointment) }, [...withReason]) : []),
        ];
        // Each delivery discloses the patient to the endpoint: audited in the transaction that
        // writes it, so before any send, and never a delivery without its row (nor a row twice:
        // a fan-out run again writes neither).
        if (!isUuid(patientId)) return;
        for (const delivery of written) {
          const registrar = targets.registrars.get(delivery.endpointId);
          // An endpoint whose registering account is gone was registered by a practice admin: STAFF.
          const actor = webhookActor({ userId: registrar?.userId ?? null, role: registrar?.role ?? 'STAFF' }, practiceId);
          await deps.audit.writeAs(tx, actor, [
            { action: AuditAction.DiscloseToWebhook, patientId, objectType: 'webhookDelivery', objectId: delivery.id },
          ]);
        }
      });
      onEnqueued();
      return DONE;
    },
  };
}
