import type { AuditTrail } from '../../audit/audit-trail';
import { AuditAction } from '../../audit/audit-entry';
import { enqueueNewJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobContext, type JobHandler, type NewJob } from '../../jobs/job-types';
import type { SocketPresence } from '../../live/socket-presence';
import type { Transactions } from '../../live/transactions';
import type { Sql } from '../../platform/sql';
import { PushSendError, sendPush, type VapidKeys } from '../../outbound/push-sender';
import { loadAppointmentParties, type AppointmentParties } from '../notifications/notifications.recipients';
import {
  pushTopic,
  pushTtlSeconds,
  pushUrgency,
  reminderPushMessage,
  staffPushMessage,
  type PushFacts,
  type PushMessage,
  type StaffPushChange,
} from './push-messages';
import { PushJobKind, pushJobKey, PushReminderJob, PushSendJob, PushStaffFanoutJob } from './push.jobs';
import { deleteGoneSubscription, readPatientPushSubscriptions, readPushSubscription, readStaffSideSubscriptions } from './push.sql';

export interface PushDeps {
  readonly sql: Sql;
  readonly transactions: Transactions;
  readonly audit: AuditTrail;
  readonly presence: SocketPresence;
  /** Wakes the worker once send jobs are written. */
  readonly nudge: () => void;
}

function facts(parties: AppointmentParties): PushFacts {
  return {
    appointmentId: parties.appointmentId,
    patientName: parties.patient.name,
    doctorName: parties.doctor.name,
    startsAt: parties.startsAt,
    timeZone: parties.timeZone,
  };
}

/** One message to one subscription, with its headers fixed now (every retry sends the same). */
function sendJob(
  subscriptionId: string,
  message: PushMessage,
  change: StaffPushChange | 'REMINDER',
  appointment: { readonly appointmentId: string; readonly startsAt: Date },
  now: Date,
): PushSendJob {
  const ttlSeconds = pushTtlSeconds(change, appointment.startsAt, now);
  return {
    subscriptionId,
    message,
    topic: pushTopic(appointment.appointmentId),
    urgency: pushUrgency(change, appointment.startsAt, now),
    ttlSeconds,
    notAfter: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
}

/**
 * A booking, cancellation or check-in -> one send job per subscription of each staff-side user
 * (the doctor, their practice's front desk) who has no socket open on any instance at this moment
 * (socket-presence.ts): whoever has the dashboard open sees the change live. Each push names the
 * patient to its recipient, so each (event, recipient) gets an audit row, written with the send
 * jobs in one transaction. Run again (at least once), it writes neither twice: jobs are keyed by
 * event and subscription, and rows are written only for the jobs this run wrote.
 */
export function pushStaffFanoutHandler(deps: PushDeps): JobHandler<PushStaffFanoutJob> {
  return {
    kind: PushJobKind.StaffFanout,
    payload: PushStaffFanoutJob,
    async run(job, context) {
      const subscriptions = await readStaffSideSubscriptions(deps.sql, job.doctorId);
      if (subscriptions.length === 0) return { outcome: 'skipped', reason: 'nobody on the staff side has a push subscription' };
      const online = await deps.presence.online([...new Set(subscriptions.map((subscription) => subscription.userId))]);
      const absent = subscriptions.filter((subscription) => !online.has(subscription.userId));
      if (absent.length === 0) return { outcome: 'skipped', reason: 'everyone with a subscription has the dashboard open' };
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      const startsAt = new Date(job.startsAt);
      const about = { ...facts(parties), startsAt };
      const jobs = absent.map((subscription) => {
        const message = staffPushMessage(job.change, about, subscription.role);
        const payload = sendJob(subscription.id, message, job.change, { appointmentId: job.appointmentId, startsAt }, context.now);
        return { kind: PushJobKind.Send, payload, dedupeKey: pushJobKey.send(`event:${job.eventId}`, subscription.id) };
      });
      await deps.transactions.run(async (tx) => {
        const written = await enqueueNewJobs(tx, jobs);
        const recipients = new Map(absent.filter((_, index) => written.has(jobs[index]!.dedupeKey)).map((s) => [s.userId, s]));
        for (const recipient of recipients.values()) {
          await deps.audit.writeAs(
            tx,
            {
              userId: recipient.userId,
              role: recipient.role,
              practiceId: recipient.practiceId,
              requestId: null,
              clientAddress: null,
              appId: null,
            },
            [{ action: AuditAction.DeliverPush, patientId: parties.patient.id, objectType: 'appointment', objectId: job.appointmentId }],
          );
        }
      });
      deps.nudge();
      return DONE;
    },
  };
}

/**
 * The patient's reminder by push: re-reads the appointment when due (cancelled, moved or started:
 * nothing is sent, as for the mail) and writes a send job per subscription when patientWantsPush.
 */
export function pushReminderHandler(deps: PushDeps): JobHandler<PushReminderJob> {
  return {
    kind: PushJobKind.Reminder,
    payload: PushReminderJob,
    async run(job, context) {
      const parties = await loadAppointmentParties(deps.sql, job.appointmentId);
      if (parties.status !== 'BOOKED') return { outcome: 'skipped', reason: `the appointment is ${parties.status.toLowerCase()}` };
      if (parties.startsAt.getTime() !== new Date(job.startsAt).getTime()) return { outcome: 'skipped', reason: 'the appointment moved' };
      if (parties.startsAt.getTime() <= context.now.getTime()) return { outcome: 'skipped', reason: 'the appointment has started' };
      if (!parties.preferences.reminders) return { outcome: 'skipped', reason: 'the patient turned reminders off' };
      const subscriptions = await readPatientPushSubscriptions(deps.sql, parties.patient.id);
      if (subscriptions.length === 0) return { outcome: 'skipped', reason: 'the patient has no push subscription' };
      const origin = `reminder:${job.appointmentId}:${parties.startsAt.getTime()}`;
      const jobs: Array<NewJob & { dedupeKey: string }> = subscriptions.map((subscription) => {
        const payload = sendJob(subscription.id, reminderPushMessage(facts(parties)), 'REMINDER', parties, context.now);
        return { kind: PushJobKind.Send, payload, dedupeKey: pushJobKey.send(origin, subscription.id) };
      });
      await deps.transactions.run((tx) => enqueueNewJobs(tx, jobs));
      deps.nudge();
      return DONE;
    },
  };
}

export interface PushSendOptions {
  readonly vapid: VapidKeys | undefined;
  /** WEBHOOK_ALLOW_PRIVATE: push endpoints follow the webhooks' address rule. */
  readonly allowPrivate: boolean;
  readonly agentOptions?: { readonly ca?: string | Buffer };
}

/**
 * Sends one message to one subscription. 2xx: done. 404 or 410: the subscription is gone, so its
 * row is deleted (no push goes there again). 429, 5xx or no answer: retried with the queue's
 * backoff, not before the push service's Retry-After, until the message's TTL has passed (a late
 * notification is no use: the job is then dead). Other answers (400, 403, 413: our request is
 * wrong) are dead at once. At least once: a worker that dies between the push service's answer
 * and the job's settling sends it again once the lease expires (JOB_LEASE); the same Topic makes
 * the push service replace the first copy if it is still undelivered.
 */
export function pushSendHandler(deps: Pick<PushDeps, 'sql' | 'transactions'>, options: PushSendOptions): JobHandler<PushSendJob> {
  return {
    kind: PushJobKind.Send,
    payload: PushSendJob,
    async run(job, context) {
      if (!options.vapid) return { outcome: 'skipped', reason: 'push is off (no VAPID keys)' };
      // A retry after the message's TTL: the push service would have dropped it by now anyway.
      if (context.now.getTime() > new Date(job.notAfter).getTime()) {
        return { outcome: 'skipped', reason: 'the message outlived its TTL before a push service took it' };
      }
      const subscription = await readPushSubscription(deps.sql, job.subscriptionId);
      if (!subscription) return { outcome: 'skipped', reason: 'the subscription was removed' };
      try {
        await sendPush(
          {
            target: subscription,
            payload: JSON.stringify(job.message),
            ttlSeconds: job.ttlSeconds,
            urgency: job.urgency,
            topic: job.topic,
          },
          {
            vapid: options.vapid,
            allowPrivate: options.allowPrivate,
            ...(options.agentOptions ? { agentOptions: options.agentOptions } : {}),
          },
        );
        return DONE;
      } catch (error) {
        if (error instanceof PushSendError && error.gone) {
          await deps.transactions.run((tx) => deleteGoneSubscription(tx, subscription.id, subscription.endpoint));
          return { outcome: 'skipped', reason: `the push service answered ${error.statusCode}: subscription removed` };
        }
        if (error instanceof PushSendError && !error.transient) throw new PermanentJobError(error.message);
        throw error; // transient, or a refused address (its DNS may be fixed within the TTL)
      }
    },
    retryAt(context, error, fallback) {
      return nextPushAttempt(context, error, fallback);
    },
  };
}

/**
 * After a failed send: the queue's backoff (undefined once JOB_RETRY_LIMIT attempts are spent),
 * but never before the push service's Retry-After.
 */
export function nextPushAttempt(context: JobContext, error: Error, fallback: Date | undefined): Date | undefined {
  if (!fallback) return undefined;
  const retryAfterMs = error instanceof PushSendError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
  return new Date(Math.max(fallback.getTime(), context.now.getTime() + retryAfterMs));
}
