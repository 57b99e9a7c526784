import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { AccessLogResolver } from './features/access-log/access-log.resolver';
import { AnalyticsResolver } from './features/analytics/analytics.resolver';
import { BoundedDateTimeISO } from './graphql/bounded-date-time';
import { AppointmentResolver } from './features/appointments/appointments.resolver';
import { HoldResolver } from './features/appointments/holds.resolver';
import { PatientAppointmentsResolver } from './features/appointments/patient-appointments.resolver';
import { PracticeAppointmentResolver } from './features/appointments/practice-appointments.resolver';
import { DoctorPracticeResolver, InvitationResolver, PracticeResolver, StaffMemberResolver } from './features/practices/practices.resolver';
import { PracticeSettingsResolver } from './features/practices/practice-settings.resolver';
import { AvailabilityResolver, DoctorBookableResolver } from './features/availability/availability.resolver';
import { DemoResolver } from './features/demo/demo.resolver';
import { DoctorResolver } from './features/doctors/doctors.resolver';
import { NotificationPreferencesResolver, NotificationSettingsResolver } from './features/notifications/preferences.resolver';
import { PushSubscriptionResolver } from './features/push/push.resolver';
import { PatientResolver } from './features/patients/patients.resolver';
import { MedicalRecordResolver } from './features/records/records.resolver';
import { ScheduleResolver } from './features/schedule/schedule.resolver';
import { SessionResolver } from './features/sessions/sessions.resolver';
import { UserResolver } from './features/users/users.resolver';
import { MfaResolver } from './features/mfa/mfa.resolver';
import { PatientVitalsResolver } from './features/vitals/patient-vitals.resolver';
import { WebhookResolver } from './features/webhooks/webhooks.resolver';
import { AppResolver } from './features/apps/apps.resolver';
import { VitalsResolver } from './features/vitals/vitals.resolver';

/**
 * The executable schema. Authorization is not a decorator here: each service checks the viewer at
 * its top (see accounts/authorization.ts and each feature's .policy.ts), so the rule sits next to what it protects and is tested
 * without GraphQL. Input is validated by the services too, hence `validate: false`.
 */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      UserResolver,
      MfaResolver,
      SessionResolver,
      AccessLogResolver,
      DoctorResolver,
      PatientResolver,
      AppointmentResolver,
      HoldResolver,
      PatientAppointmentsResolver,
      PracticeAppointmentResolver,
      PracticeResolver,
      DoctorPracticeResolver,
      StaffMemberResolver,
      InvitationResolver,
      PracticeSettingsResolver,
      AvailabilityResolver,
      DoctorBookableResolver,
      VitalsResolver,
      PatientVitalsResolver,
      MedicalRecordResolver,
      ScheduleResolver,
      AnalyticsResolver,
      DemoResolver,
      NotificationPreferencesResolver,
      PushSubscriptionResolver,
      NotificationSettingsResolver,
      WebhookResolver,
      AppResolver,
    ],
    pubSub: NO_TOPIC_PUBSUB,
    validate: false,
    // Every date argument is range-checked where it is read (graphql/bounded-date-time.ts).
    scalarsMap: [{ type: Date, scalar: BoundedDateTimeISO }],
    emitSchemaFile: false,
  });
}

/**
 * type-graphql refuses to build a schema with subscriptions unless given a PubSub, which it uses
 * only for `@Subscription({ topics })`. Every CareLine subscription declares `subscribe` instead
 * (graphql/live-subscription.ts: authorize, replay, order), so a topic subscription is a bug.
 */
const NO_TOPIC_PUBSUB: PubSub = {
  publish() {
    throw new Error("Publish through EventStreams.transaction, not type-graphql's PubSub.");
  },
  subscribe() {
    throw new Error('Declare subscriptions with liveSubscription(), not type-graphql topics.');
  },
};
