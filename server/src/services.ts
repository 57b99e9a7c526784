import { PasswordRule } from './accounts/password-rule';
import { PasswordHasher } from './accounts/passwords';
import { SecondFactor } from './accounts/second-factor';
import type { SessionService } from './accounts/sessions';
import type { SignInThrottle } from './accounts/sign-in-throttle';
import type { TokenService } from './accounts/tokens';
import { AuditTrail } from './audit/audit-trail';
import { DeliveryAudit } from './audit/deliveries';
import { MfaService } from './features/mfa/mfa.service';
import { MemberRemovalService } from './features/practices/member-removal.service';
import { AccessLogService } from './features/access-log/access-log.service';
import { AnalyticsService } from './features/analytics/analytics.service';
import { AppointmentLifecycleService } from './features/appointments/appointments.lifecycle';
import { takenTimes } from './features/appointments/appointments.reads';
import { AppointmentService } from './features/appointments/appointments.service';
import { AvailabilityService } from './features/availability/availability.service';
import { CareRelationships } from './features/care/care-relationships';
import { DemoService } from './features/demo/demo.service';
import { DoctorService } from './features/doctors/doctors.service';
import { PatientService } from './features/patients/patients.service';
import { NotificationPreferencesService } from './features/notifications/preferences.service';
import { PushSubscriptionService } from './features/push/push.service';
import { InvitationService, type InvitationCreatedHook } from './features/practices/invitations.service';
import { PracticePatientService } from './features/practices/practice-patients.service';
import { PracticeMembers } from './features/practices/practices.members';
import { assertPracticeAdmin } from './features/practices/practices.policy';
import { PracticeService } from './features/practices/practices.service';
import { MedicalRecordService } from './features/records/records.service';
import { ScheduleService } from './features/schedule/schedule.service';
import { AccountSessionService } from './features/sessions/sessions.service';
import { recordSessionsEndedByServer } from './features/sessions/sessions.ended';
import { UserService } from './features/users/users.service';
import { WebhookService } from './features/webhooks/webhooks.service';
import { AppService } from './features/apps/apps.service';
import { VitalsService } from './features/vitals/vitals.service';
import { DeliveryRowsAtCommit } from './graphql/delivery-rows';
import type { RequestServices } from './graphql/request-context';
import { EventStreams } from './live/event-streams';
import type { OutboxDispatcher } from './live/outbox-dispatcher';
import type { AppPubSub } from './live/pubsub';
import { Transactions } from './live/transactions';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { DataCipher } from './platform/data-cipher';
import type { PrismaReader } from './platform/database';
import type { ReadReplica } from './platform/read-replica';
import type { Logger } from './platform/logger';
import type { Sql, SqlDatabase } from './platform/sql';

/**
 * One instance of each service per server; resolvers reach them through the context. The
 * features declare what RequestServices holds, so the compiler checks that this provides it all.
 */
export type Services = RequestServices;

export function createServices(deps: {
  /** Prisma's typed reads (each module reads the tables it owns). */
  prisma: PrismaReader;
  /** Statements, and the transactions every write runs in (platform/sql.ts). */
  sql: SqlDatabase;
  /** Single statements that must not queue behind `sql`'s transactions (Database.prioritySql): the audit's batched rows. */
  prioritySql: Sql;
  /** The read replica (DATABASE_REPLICA_URL): catch-up reads (completed from the primary) and analytics; undefined: the primary serves them. */
  replica?: ReadReplica | undefined;
  pubSub: AppPubSub;
  dispatcher: OutboxDispatcher;
  tokens: TokenService;
  sessions: SessionService;
  throttle: SignInThrottle;
  /** Seals secrets stored for later use (DATA_ENCRYPTION_KEY): webhook signing secrets, TOTP secrets. */
  cipher: DataCipher;
  logger: Logger;
  config: Pick<Config, 'runtime' | 'sockets' | 'practices' | 'webhooks' | 'operator' | 'accounts' | 'audit' | 'scheduling' | 'push'>;
  /** Run inside the transaction that creates an invitation, with its code (issue 17: the invitation email). */
  onInvitationCreated?: readonly InvitationCreatedHook[];
  /** Wakes this instance's job worker (a manual webhook redelivery was written). */
  nudgeJobs?: () => void;
  clock: Clock;
}): Services {
  const { clock } = deps;
  const events = new EventStreams(
    deps.sql,
    deps.pubSub,
    deps.logger,
    { maxQueuedEvents: deps.config.sockets.maxQueuedEvents },
    clock,
    deps.replica,
  );
  const transactions = new Transactions(deps.sql, deps.dispatcher, deps.logger);
  const doctors = new DoctorService(deps.prisma);
  // Booked and held times come from the appointments' module (see BusyTimes).
  const busyTimes = (doctorId: string, range: { readonly from: Date; readonly to: Date }) => takenTimes(deps.sql, doctorId, range, clock());
  const relationships = new CareRelationships(
    deps.prisma,
    async (doctorId) => (await doctors.doctorsByIds([doctorId]))[0]?.practiceId ?? null,
  );
  const practiceMembers = new PracticeMembers(deps.sql);
  const availability = new AvailabilityService(deps.sql, transactions, doctors, busyTimes, practiceMembers, clock);
  const passwordRule = new PasswordRule(deps.config.accounts.passwordMinLength);
  const passwords = new PasswordHasher(deps.config.accounts.passwordHashCost);
  // A removal revokes the member's sessions and every instance hears of it: practice streams then
  // re-read the membership of their subscribers (deskRecheck) before their next event.
  deps.sessions.events.on('revoked', () => practiceMembers.changed());
  deps.sessions.events.on('recheck', () => practiceMembers.changed());
  const practices = new PracticeService(deps.prisma, transactions, practiceMembers, passwordRule, passwords);
  // Audit rows name the actor's practice (their membership, read when the row is written).
  const audit = new AuditTrail(
    deps.sql,
    async (viewer, sql) => (await practiceMembers.membershipOf(viewer, sql))?.practiceId ?? null,
    clock,
    deps.config.audit.key,
    { recordSql: deps.prioritySql },
  );
  // The name an authenticator app shows beside the account.
  const secondFactor = new SecondFactor(deps.sql, deps.cipher, clock, 'CareLine');
  // Sessions the server ends (idle, a rotated token reused) are security events; accounts/ cannot write them itself.
  recordSessionsEndedByServer(deps.sessions, audit, practiceMembers, deps.logger);
  const practicePatients = new PracticePatientService(deps.prisma, practiceMembers, audit);
  const invitations = new InvitationService(
    deps.prisma,
    transactions,
    practiceMembers,
    deps.config.practices,
    clock,
    audit,
    deps.onInvitationCreated,
  );
  // Live deliveries audited per (event, user): the streams' rows, and nested reads inside an event.
  const deliveries = new DeliveryAudit(audit);
  // ...written with the transaction that emits the event, for this instance's subscribers of it.
  transactions.addTap(new DeliveryRowsAtCommit(events, audit, deliveries, clock));
  return {
    events,
    transactions,
    audit,
    deliveries,
    practiceMembers,
    practices,
    invitations,
    practicePatients,
    memberRemoval: new MemberRemovalService(transactions, practiceMembers, deps.sessions, audit, clock),
    users: new UserService(
      deps.prisma,
      transactions,
      deps.tokens,
      deps.sessions,
      deps.throttle,
      invitations,
      practices,
      deps.config.practices,
      clock,
      passwordRule,
      passwords,
      audit,
      practiceMembers,
      secondFactor,
    ),
    mfa: new MfaService(
      deps.prisma,
      transactions,
      secondFactor,
      deps.sessions,
      deps.throttle,
      audit,
      practiceMembers,
      clock,
      deps.config.accounts.mfaRequiredRoles,
    ),
    accountSessions: new AccountSessionService(
      deps.prisma,
      transactions,
      deps.tokens,
      deps.sessions,
      deps.throttle,
      clock,
      passwordRule,
      passwords,
      audit,
      practiceMembers,
    ),
    accessLog: new AccessLogService(deps.sql, practiceMembers),
    doctors,
    patients: new PatientService(deps.prisma, audit, {
      care: relationships,
      deskHasPatient: (viewer, patientId) => practicePatients.deskHasPatient(viewer, patientId),
    }),
    appointments: new AppointmentService(deps.prisma, deps.sql, transactions, audit, clock, deps.config.scheduling.holdTtlMs),
    appointmentLifecycle: new AppointmentLifecycleService(transactions, deps.sql, audit, clock),
    availability,
    vitals: new VitalsService(deps.prisma, deps.sql, transactions, relationships, audit, clock, deliveries),
    records: new MedicalRecordService(deps.prisma, transactions, relationships, audit, clock),
    relationships,
    schedule: new ScheduleService(deps.prisma, practiceMembers, audit),
    // Third next available reads the same free slots as availableSlots.
    // practiceAnalytics and the CSV export may read the replica; practiceToday reads the primary (its board follows each event).
    analytics: new AnalyticsService(
      deps.prisma,
      { primary: deps.sql, periods: deps.replica?.sql('analytics') ?? deps.sql },
      practiceMembers,
      (viewer, doctorId, query) => availability.availableSlots(viewer, doctorId, query),
      clock,
    ),
    // Never in production, even if a future change let SEED_DEMO through there (config refuses it).
    demo: new DemoService(deps.config.operator.seedDemo && deps.config.runtime.nodeEnv !== 'production'),
    notificationPreferences: new NotificationPreferencesService(deps.prisma, deps.sql, transactions, clock),
    push: new PushSubscriptionService(
      transactions,
      { enabled: deps.config.push.vapid !== undefined, allowPrivate: deps.config.webhooks.allowPrivate },
      clock,
    ),
    apps: new AppService(
      deps.sql,
      transactions,
      (viewer, practiceId) => assertPracticeAdmin(viewer, practiceId, practiceMembers),
      deps.sessions,
      deps.cipher,
      clock,
      audit,
    ),
    webhooks: new WebhookService(
      deps.prisma,
      transactions,
      (viewer, practiceId) => assertPracticeAdmin(viewer, practiceId, practiceMembers),
      {
        allowPrivate: deps.config.webhooks.allowPrivate,
        onEnqueued: () => deps.nudgeJobs?.(),
        retentionSeconds: deps.config.audit.retentionSeconds,
        clock,
        cipher: deps.cipher,
        audit,
      },
    ),
  };
}
