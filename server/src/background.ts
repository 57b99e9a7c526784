import { agendaMailHandler, AgendaScheduler } from './features/notifications/agenda';
import { invitationMailHandler } from './features/notifications/invitation-mail';
import { createMailer, type Mailer } from './outbound/mail-transport';
import { mailJobsFor } from './features/notifications/notifications.enqueue';
import { appointmentMailHandler, reminderMailHandler } from './features/notifications/notifications.handlers';
import { appointmentSmsHandler, reminderSmsHandler } from './features/notifications/sms.handlers';
import { SMS_STATUS_PATH } from './features/notifications/sms-routes';
import { createSmsSender } from './outbound/sms-transport';
import { webhookDeliveryHandler } from './features/webhooks/webhook-delivery.handler';
import { webhookFanoutHandler } from './features/webhooks/webhook-fanout.handler';
import { webhookFanoutWrite } from './features/webhooks/webhooks.enqueue';
import { HoldSweeper } from './features/appointments/holds.sweep';
import { pushJobWrites } from './features/push/push.enqueue';
import { pushReminderHandler, pushSendHandler, pushStaffFanoutHandler } from './features/push/push.handlers';
import type { SocketPresence } from './live/socket-presence';
import { jobsWrite } from './jobs/job-queue';
import { JobWorker } from './jobs/job-worker';
import type { AuditTrail } from './audit/audit-trail';
import type { Transactions } from './live/transactions';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { DataCipher } from './platform/data-cipher';
import type { PrismaReader } from './platform/database';
import type { Logger } from './platform/logger';
import type { Sql } from './platform/sql';

/** Everything CareLine sends outside, and the worker that sends it (server/src/jobs/). */
export interface Background {
  readonly worker: JobWorker;
  readonly mailer: Mailer;
  readonly agenda: AgendaScheduler;
  /** Deletes long-expired slot holds (an expired hold blocks nothing before that; see HoldSweeper). */
  readonly holds: HoldSweeper;
  start(): void;
  /** Stops claiming, waits for the sends in progress, closes the mail transport. */
  stop(): Promise<void>;
}

/**
 * Wires the job worker: the taps that write jobs in the transaction of each change, and the
 * handlers that run them. `clock` is the worker's and the taps' notion of now (tests move it).
 */
export function createBackground(deps: {
  prisma: PrismaReader;
  sql: Sql;
  transactions: Transactions;
  /** Webhook disclosures are audited as their deliveries are written. */
  audit: AuditTrail;
  /** Opens the webhook endpoints' sealed signing secrets. */
  cipher: DataCipher;
  /** Who has a socket open: doctors and front desks without one get pushes. */
  presence: SocketPresence;
  logger: Logger;
  config: Pick<Config, 'mail' | 'jobs' | 'webhooks' | 'push' | 'sms'> & { readonly http: Pick<Config['http'], 'publicUrl'> };
  clock: Clock;
  /** Extra TLS options of push requests (tests: their receiver's certificate). */
  pushAgentOptions?: { readonly ca?: string | Buffer };
}): Background {
  const { mail: mailSettings, jobs, webhooks, push, sms } = deps.config;
  const worker = new JobWorker(deps.sql, deps.logger, jobs, deps.clock);
  const mailer = createMailer(mailSettings);
  const textsEnabled = sms.twilio !== undefined;
  const mail = { sql: deps.sql, transactions: deps.transactions, mailer, mailFrom: mailSettings.from, textsEnabled };
  worker.register(appointmentMailHandler(mail));
  worker.register(reminderMailHandler(mail));
  worker.register(agendaMailHandler({ ...mail, minuteOfDay: mailSettings.dailyAgendaMinute }));
  worker.register(invitationMailHandler(mail));
  if (sms.twilio) {
    const texts = {
      sql: deps.sql,
      transactions: deps.transactions,
      sender: createSmsSender(sms.twilio),
      statusCallback: `${deps.config.http.publicUrl}${SMS_STATUS_PATH}`,
      monthlyBudget: sms.monthlyBudget,
      logger: deps.logger,
    };
    worker.register(appointmentSmsHandler(texts));
    worker.register(reminderSmsHandler(texts));
  }
  worker.register(
    webhookDeliveryHandler(deps, {
      allowPrivate: webhooks.allowPrivate,
      retryWindowMs: webhooks.retryWindowMs,
      retryBaseMs: jobs.retryBaseMs,
    }),
  );
  worker.register(webhookFanoutHandler(deps, () => worker.nudge()));
  const pushDeps = { ...deps, nudge: () => worker.nudge() };
  worker.register(pushStaffFanoutHandler(pushDeps));
  worker.register(pushReminderHandler(pushDeps));
  worker.register(
    pushSendHandler(deps, {
      vapid: push.vapid,
      allowPrivate: webhooks.allowPrivate,
      ...(deps.pushAgentOptions ? { agentOptions: deps.pushAgentOptions } : {}),
    }),
  );
  deps.transactions.addTap({
    // One INSERT for the transaction's mail jobs, one for its webhook fan-outs (written only where
    // an endpoint takes the event): they run while the stream counters' row locks are held, so
    // each round trip here lengthens the wait of the doctor's next booking. Handed back as the
    // transaction's last writes, they leave with its COMMIT: no round trip of their own.
    inTransaction: async (tx, events) => {
      const now = deps.clock();
      const mail = await mailJobsFor(tx, events, { reminderHoursBefore: mailSettings.reminderHoursBefore, now, texts: textsEnabled });
      return [
        jobsWrite(mail),
        webhookFanoutWrite(events, now),
        // Push jobs only where someone has a subscription (none at all while push is off).
        ...(push.vapid ? pushJobWrites(events, { reminderHoursBefore: mailSettings.reminderHoursBefore, now }) : []),
      ];
    },
    committed: () => worker.nudgeSoon(),
  });
  const agenda = new AgendaScheduler(deps, deps.logger, mailSettings.dailyAgendaMinute, deps.clock);
  const holds = new HoldSweeper(deps.transactions, deps.logger, deps.clock);
  return {
    worker,
    mailer,
    agenda,
    holds,
    start() {
      worker.start();
      agenda.start();
      holds.start();
    },
    async stop() {
      holds.stop();
      await agenda.stop();
      await worker.stop();
      mailer.close();
    },
  };
}
