import { getOperationAST, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import type { AppScope } from '../accounts/app-scopes';
import { forbidden } from '../platform/errors';

/**
 * What a third-party app's token needs for each field it selects, as `Type.field` → the scopes of
 * which one suffices. A root field (Query, Mutation, Subscription) that is not listed is FORBIDDEN
 * to app tokens: signing in, sessions, MFA, practice administration, webhooks and apps themselves
 * are the user's own business. A nested field that is not listed is covered by its root's scope;
 * the nested fields listed here carry data of another kind (a patient's appointments, vitals).
 * The services still apply the user's rights: a scope narrows what the user may do, never widens it.
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
  'Subscription.myAppointmentUpdated': ['patient/Appointment.rs'],
  'Subscription.myVitalsRecorded': ['patient/Observation.rs'],
  'Subscription.patientAdded': ['user/Patient.rs'],
  'Subscription.appointmentUpdated': ['user/Appointment.rs'],
  'Subscription.practiceAppointmentUpdated': ['user/Appointment.rs'],
  'Subscription.practicePatientAdded': ['user/Patient.rs'],
  'Patient.appointments': ['patient/Appointment.rs', 'user/Appointment.rs'],
  'Patient.latestVitals': ['patient/Observation.rs'],
};

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
  const app = viewer?.app;
  if (!app) return undefined;
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
        const needed = FIELD_SCOPES[key];
        if (needed === undefined) {
          if (ROOT_TYPES.has(parent)) missing = key;
          return;
        }
        if (!needed.some((scope) => app.scopes.has(scope))) missing = key;
      },
    }),
  );
  if (missing === undefined) return undefined;
  const needed = FIELD_SCOPES[missing];
  return forbidden(
    needed
      ? `${app.name} was not allowed this: ${missing} needs the scope ${needed.join(' or ')}.`
      : `${app.name} cannot use ${missing}: it is open to the user's own sign-in only.`,
  );
}
