import type { SessionService } from './accounts/sessions';
import type { SignInThrottle } from './accounts/sign-in-throttle';
import type { TokenService } from './accounts/tokens';
import { AuditTrail } from './audit/audit-trail';
import { AccessLogService } from './features/access-log/access-log.service';
import { AppointmentLifecycleService } from './features/appointments/appointments.lifecycle';
import { AppointmentService } from './features/appointments/appointments.service';
import { AvailabilityService } from './features/availability/availability.service';
import { RelationshipService } from './features/care/care.service';
import { DemoService } from './features/demo/demo.service';
import { DoctorService } from './features/doctors/doctors.service';
import { PatientService } from './features/patients/patients.service';
import { NotificationPreferencesService } from './features/notifications/preferences.service';
import { InvitationService, type InvitationCreatedHook } from './features/practices/invitations.service';
import { PracticePatientService } from './features/practices/practice-patients.service';
import { PracticeMembers } from './features/practices/practices.members';
import { assertPracticeAdmin } from './features/practices/practices.policy';
import { PracticeService } from './features/practices/practices.service';
import { MedicalRecordService } from './features/records/records.service';
import { ScheduleService } from './features/schedule/schedule.service';
import { AccountSessionService } from './features/sessions/sessions.service';
import { UserService } from './features/users/users.service';
import { WebhookService } from './features/webhooks/webhooks.service';
import { VitalsService } from './features/vitals/vitals.service';
import type { PrismaClient } from './generated/prisma/client';
import type { RequestServices } from './graphql/request-context';
import { EventStreams } from './live/event-streams';
import type { OutboxDispatcher } from './live/outbox-dispatcher';
import type { AppPubSub } from './live/pubsub';
import type { Config } from './platform/config';
import type { Logger } from './platform/logger';
import type { SqlDatabase } from './platform/sql';

/**
 * One instance of each service per server; resolvers reach them through the context. The
 * features declare what RequestServices holds, so the compiler checks that this provides it all.
 */
export type Services = RequestServices;

export function createServices(deps: {
  prisma: PrismaClient;
  /** The same database as raw SQL, for the booking path (platform/sql.ts). */
  sql: SqlDatabase;
  pubSub: AppPubSub;
  dispatcher: OutboxDispatcher;
  tokens: TokenService;
  sessions: SessionService;
  throttle: SignInThrottle;
  logger: Logger;
  config: Pick<Config, 'runtime' | 'sockets' | 'practices' | 'webhooks' | 'operator'>;
  /** Run inside the transaction that creates an invitation, with its code (issue 17: the invitation email). */
  onInvitationCreated?: readonly InvitationCreatedHook[];
  /** Wakes this instance's job worker (a manual webhook redelivery was written). */
  nudgeJobs?: () => void;
}): Services {
  const events = new EventStreams(deps.prisma, deps.sql, deps.pubSub, deps.dispatcher, deps.logger, {
    maxQueuedEvents: deps.config.sockets.maxQueuedEvents,
  });
  const availability = new AvailabilityService(deps.prisma);
  const relationships = new RelationshipService(deps.prisma);
  const practiceMembers = new PracticeMembers(deps.prisma);
  const practices = new PracticeService(deps.prisma, practiceMembers);
  const invitations = new InvitationService(deps.prisma, events, practiceMembers, deps.config.practices, deps.onInvitationCreated);
  // Audit rows name the actor's practice (their membership, read when the row is written).
  const audit = new AuditTrail(deps.prisma, deps.sql, async (viewer, db) => (await practiceMembers.membershipOf(viewer, db))?.practiceId ?? null);
  return {
    events,
    audit,
    practiceMembers,
    practices,
    invitations,
    practicePatients: new PracticePatientService(deps.prisma, practiceMembers),
    users: new UserService(deps.prisma, deps.tokens, deps.sessions, deps.throttle, invitations, practices, deps.config.practices),
    accountSessions: new AccountSessionService(deps.prisma, deps.tokens, deps.sessions, deps.throttle),
    accessLog: new AccessLogService(deps.prisma, practiceMembers),
    doctors: new DoctorService(deps.prisma),
    patients: new PatientService(deps.prisma, audit),
    appointments: new AppointmentService(deps.prisma, deps.sql, events, audit),
    appointmentLifecycle: new AppointmentLifecycleService(events, audit),
    availability,
    vitals: new VitalsService(deps.prisma, events, relationships, audit),
    records: new MedicalRecordService(deps.prisma, relationships, audit),
    relationships,
    schedule: new ScheduleService(deps.prisma, practiceMembers),
    // Never in production, even if a future change let SEED_DEMO through there (config refuses it).
    demo: new DemoService(deps.config.operator.seedDemo && deps.config.runtime.nodeEnv !== 'production'),
    notificationPreferences: new NotificationPreferencesService(deps.prisma),
    webhooks: new WebhookService(deps.prisma, (viewer, practiceId) => assertPracticeAdmin(viewer, practiceId, practiceMembers), {
      allowPrivate: deps.config.webhooks.allowPrivate,
      onEnqueued: () => deps.nudgeJobs?.(),
    }),
  };
}
