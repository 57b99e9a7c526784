import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import type { Transactions } from '../../live/transactions';
import type { Sql } from '../../platform/sql';
import { isUuid } from '../../platform/validation';
import { createMissingDeliveries } from './webhooks.enqueue';
import { WebhookFanoutJob, WebhookJobKind, type WebhookBody } from './webhooks.jobs';
import { readFanoutTargets } from './webhooks.sql';

/**
 * One committed event -> one delivery per endpoint of the doctor's practice subscribed to its
 * type (and not disabled): only that practice's endpoints, so one practice never receives
 * another's events. The body is built once here and stored, so every retry sends the same bytes.
 * Running twice (at least once) adds no second delivery: endpoints that have one are skipped.
 */
export function webhookFanoutHandler(
  deps: { readonly sql: Sql; readonly transactions: Transactions },
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
      if (targets.patientName === null || targets.doctorName === null) throw new PermanentJobError('the patient or doctor does not exist');
      const body: WebhookBody = {
        id: job.eventId,
        type: job.type,
        createdAt: job.createdAt,
        data: {
          appointment: job.appointment,
          patient: { id: patientId, name: targets.patientName },
          doctor: { id: job.doctorId, name: targets.doctorName },
        },
      };
      const event = { eventId: job.eventId, eventType: job.type, body: JSON.stringify(body) };
      await deps.transactions.run((tx) => createMissingDeliveries(tx, event, targets.endpointIds));
      onEnqueued();
      return DONE;
    },
  };
}
