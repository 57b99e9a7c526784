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
import { forbidden } from './platform/errors';
import type { Logger } from './platform/logger';

/**
 * One instance of each service per server; resolvers reach them through the context. The
 * features declare what RequestServices holds, so the compiler checks that this provides it all.
 */
export type Services = RequestServices;

export function createServices(deps: {
  prisma: PrismaClient;
  pubSub: AppPubSub;
  dispatcher: OutboxDispatcher;
  tokens: TokenService;
  sessions: SessionService;
  throttle: SignInThrottle;
  logger: Logger;
  config: Pick<Config, 'subscriptionMaxQueuedEvents' | 'seedDemo' | 'nodeEnv' | 'notifications'>;
}): Services {
  const events = new EventStreams(deps.prisma, deps.pubSub, deps.dispatcher, deps.logger, {
    maxQueuedEvents: deps.config.subscriptionMaxQueuedEvents,
  });
  const availability = new AvailabilityService(deps.prisma);
  const relationships = new RelationshipService(deps.prisma);
  const audit = new AuditTrail(deps.prisma);
  return {
    events,
    audit,
    users: new UserService(deps.prisma, deps.tokens, deps.sessions, deps.throttle),
    accountSessions: new AccountSessionService(deps.prisma, deps.tokens, deps.sessions, deps.throttle),
    accessLog: new AccessLogService(deps.prisma),
    doctors: new DoctorService(deps.prisma),
    patients: new PatientService(deps.prisma, audit),
    appointments: new AppointmentService(deps.prisma, events, availability, audit),
    appointmentLifecycle: new AppointmentLifecycleService(events, availability, audit),
    availability,
    vitals: new VitalsService(deps.prisma, events, relationships, audit),
    records: new MedicalRecordService(deps.prisma, relationships, audit),
    relationships,
    schedule: new ScheduleService(deps.prisma),
    // Never in production, even if a future change let SEED_DEMO through there (config refuses it).
    demo: new DemoService(deps.config.seedDemo && deps.config.nodeEnv !== 'production'),
    notificationPreferences: new NotificationPreferencesService(deps.prisma),
    webhooks: new WebhookService(
      deps.prisma,
      async () => {
        throw forbidden('Webhooks belong to practices, which this version does not have yet.');
      },
      { allowPrivate: deps.config.notifications.webhookAllowPrivate, onEnqueued: () => undefined },
    ),
  };
}
