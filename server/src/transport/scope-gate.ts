import { getOperationAST, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import type { AppScope } from '../accounts/app-scopes';
import { Role } from '../generated/prisma/enums';
import { forbidden } from '../platform/errors';

/**
 * What a third-party app's token needs for each field it selects, as `Type.field` → the scopes of
 * which one suffices. Every root field (Query, Mutation, Subscription) has a decision: here, or in
 * USER_ONLY_FIELDS (refused to apps). A root field in neither (a new one nobody decided on) is
 * FORBIDDEN to app tokens too (fail closed), and scope-gate.test.ts fails until it is decided. A
 * nested field that is not listed is covered by its root's scope; the nested fields listed here
 * carry data of another kind (a patient's appointments, vitals). The services still apply the
 * user's rights: a scope narrows what the user may do, never widens it.
 */
export const FIELD_SCOPES: Readonly<Record<string, readonly AppScope[]>> = {
  'Query.me': ['openid', 'fhirUser'],
  'Query.doctors': ['patient/Slot.rs'],
  'Query.availableSlots': ['patient/Slot.rs'],
  'Query.doctorAvailability': ['patient/Slot.rs'],
  'Query.doctorSchedule': ['user/Appointment.rs'],
  'Query.practiceSchedule': ['user/Appointment.rs'],
  'Query.doctorPatients': ['user/Patient.rs'],
  'Query.practicePatients': ['user/Patient.rs'],
  'Query.patientVitals': ['patient/Observation.rs'],
  'Mutation.bookAppointment': ['patient/Appointment.cu'],
  'Mutation.holdSlot': ['patient/Appointment.cu'],
  'Mutation.rescheduleAppointment': ['patient/Appointment.cu'],
  'Mutation.cancelAppointment': ['patient/Appointment.cu'],
  'Mutation.confirmAppointment': ['patient/Appointment.cu'],
  'Subscription.myAppointmentUpdated': ['patient/Appointment.rs'],
  'Subscription.myVitalsRecorded': ['patient/Observation.rs'],
  'Subscription.patientAdded': ['user/Patient.rs'],
  'Subscription.appointmentUpdated': ['user/Appointment.rs'],
  'Subscription.practiceAppointmentUpdated': ['user/Appointment.rs'],
  'Subscription.practicePatientAdded': ['user/Patient.rs'],
  'Patient.appointments': ['patient/Appointment.rs', 'user/Appointment.rs'],
  'Patient.latestVitals': ['patient/Observation.rs'],
};

/**
 * Root fields that are the user's own business, refused to every app token whatever its scopes:
 * signing in and sessions, MFA, the apps themselves, the account's settings and access log, the
 * practice's administration (members, hours, invitations, webhooks, audit), the desk's and the
 * doctor's clinical work (no SMART scope of API.md covers medical records, check-ins or vitals
 * entry), the practice's analytics, the browser's push subscriptions and message settings, and the
 * demo's accounts.
 */
export const USER_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'Query.demoAccounts',
  'Query.myAccessLog',
  'Query.myAuthorizedApps',
  'Query.mySessions',
  'Query.notificationPreferences',
  'Query.patientMedicalRecords',
  'Query.practice',
  'Query.practiceAnalytics',
  'Query.practiceApps',
  'Query.practiceAuditEvents',
  'Query.practiceSecurityEvents',
  'Query.webhookDeliveries',
  'Query.webhookEndpoints',
  'Mutation.acceptInvitation',
  'Mutation.addDayOff',
  'Mutation.addMedicalRecord',
  'Mutation.changePassword',
  'Mutation.checkInAppointment',
  'Mutation.completeAppointment',
  'Mutation.confirmMfaEnrollment',
  'Mutation.createInvitation',
  'Mutation.createWebhookEndpoint',
  'Mutation.deleteApp',
  'Mutation.deleteWebhookEndpoint',
  'Mutation.disableMfa',
  'Mutation.login',
  'Mutation.logout',
  'Mutation.logoutEverywhere',
  'Mutation.markNoShow',
  'Mutation.recordVitals',
  'Mutation.redeliverWebhook',
  'Mutation.registerPushSubscription',
  'Mutation.refreshToken',
  'Mutation.register',
  'Mutation.registerApp',
  'Mutation.removeDayOff',
  'Mutation.removeMember',
  'Mutation.revokeAppAuthorization',
  'Mutation.revokeInvitation',
  'Mutation.rotateWebhookSecret',
  'Mutation.setPracticeBookableWithoutHours',
  'Mutation.setWorkingHours',
  'Mutation.startMfaEnrollment',
  'Mutation.undoCheckIn',
  'Mutation.unregisterPushSubscription',
  'Mutation.updateApp',
  'Mutation.updateNotificationPreferences',
  'Mutation.updateNotificationSettings',
  'Subscription.practiceToday',
  'Subscription.vitalsRecorded',
]);

/**
 * Whether a held scope admits the viewer: a `patient/` scope of the patient compartment
 * (appointments, vitals) speaks for the token's patient, who is the user when the user is a
 * patient; for a doctor or the desk it has no patient and admits nothing (as on /fhir/R4).
 */
function admits(scope: string, viewer: Viewer): boolean {
  if (scope.startsWith('patient/') && !scope.startsWith('patient/Slot.')) return viewer.role === Role.PATIENT;
  return true;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * The scope gate, over HTTP and over the socket alike (before anything executes): for an app's
 * token, FORBIDDEN naming the first field whose scope the app was not given. Dashboard tokens
 * pass untouched. The whole operation is refused, so nothing of it runs.
 */
export function scopeGateRefusal(
  viewer: Viewer | undefined,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): GraphQLError | undefined {
  if (!viewer?.app) return undefined;
  const { app } = viewer;
  const signedIn = viewer;
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return undefined; // nothing runs; validation answers it
  const typeInfo = new TypeInfo(schema);
  let missing: string | undefined;
  const fragments = document.definitions.filter((definition) => definition.kind === 'FragmentDefinition');
  visit(
    { kind: document.kind, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (missing !== undefined || node.name.value.startsWith('__')) return;
        const parent = typeInfo.getParentType()?.name;
        if (parent === undefined) return;
        const key = `${parent}.${node.name.value}`;
        const needed = USER_ONLY_FIELDS.has(key) ? undefined : FIELD_SCOPES[key];
        if (needed === undefined) {
          if (ROOT_TYPES.has(parent)) missing = key;
          return;
        }
        if (!needed.some((scope) => app.scopes.has(scope) && admits(scope, signedIn))) missing = key;
      },
    }),
  );
  if (missing === undefined) return undefined;
  const needed = USER_ONLY_FIELDS.has(missing) ? undefined : FIELD_SCOPES[missing];
  if (!needed) return forbidden(`${app.name} cannot use ${missing}: it is open to the user's own sign-in only.`);
  if (needed.some((scope) => app.scopes.has(scope)))
    return forbidden(`${app.name} was not allowed this: ${missing} with ${needed.join(' or ')} is limited to a patient's own record.`);
  return forbidden(`${app.name} was not allowed this: ${missing} needs the scope ${needed.join(' or ')}.`);
}
