import type { Resource, ResourceType } from '@medplum/fhirtypes';
import type { AppScope } from '../accounts/app-scopes';
import type { Viewer } from '../accounts/authorization';
import { Role } from '../generated/prisma/enums';
import { FhirError } from './outcome';

/** What a FHIR request does to its type: SMART v2's `rs` (read, search) and `cu` (create, update). */
export type FhirAccess = 'read' | 'search' | 'create' | 'update';

interface TypeScopes {
  /** The scopes of which one lets an app read and search the type. */
  readonly rs: readonly AppScope[];
  /** The scopes of which one lets an app create ($book) and update (PATCH) it; none: apps cannot. */
  readonly cu: readonly AppScope[];
  /** Resources of the patient compartment: a `patient/` scope limits them to the token's patient. */
  readonly compartment: boolean;
}

/**
 * SMART v2 scopes on /fhir/R4 (docs/fhir.md, "Third-party apps"). A type that is not listed is
 * refused to apps (fail closed). The directory types (who the doctors are, their schedules and
 * practices) come with the scopes that need them to book or read schedules.
 */
export const FHIR_SCOPES: Readonly<Partial<Record<ResourceType, TypeScopes>>> = {
  Appointment: { rs: ['patient/Appointment.rs', 'user/Appointment.rs'], cu: ['patient/Appointment.cu'], compartment: true },
  Observation: { rs: ['patient/Observation.rs'], cu: [], compartment: true },
  Patient: { rs: ['user/Patient.rs'], cu: [], compartment: true },
  Slot: { rs: ['patient/Slot.rs'], cu: [], compartment: false },
  Practitioner: { rs: ['patient/Slot.rs', 'user/Appointment.rs'], cu: [], compartment: false },
  Schedule: { rs: ['patient/Slot.rs', 'user/Appointment.rs'], cu: [], compartment: false },
  Organization: { rs: ['patient/Slot.rs', 'user/Appointment.rs'], cu: [], compartment: false },
  PractitionerRole: { rs: ['patient/Slot.rs', 'user/Appointment.rs'], cu: [], compartment: false },
};

/** What an app's token is limited to on one request: undefined patientId means the user's own rights only. */
export interface ScopeLimit {
  /** A `patient/` scope was the one that let the request in: only this patient's resources. */
  readonly patientId?: string;
}

/**
 * The decision for an app's token (none for the dashboard's own tokens): 403 `forbidden` naming
 * the scope it lacks, or the limit its scope puts on the request. A `user/` scope leaves the
 * user's own rights (the services decide); a `patient/` scope also limits the request to the
 * token's patient, who is the user when the user is a patient (there is no patient picker: for
 * a doctor or the desk a `patient/` scope has no patient, so it lets nothing in).
 */
export function scopeLimit(viewer: Viewer, type: ResourceType, access: FhirAccess): ScopeLimit {
  const app = viewer.app;
  if (!app) return {};
  const scopes = FHIR_SCOPES[type];
  const needed = scopes ? (access === 'read' || access === 'search' ? scopes.rs : scopes.cu) : [];
  if (needed.length === 0) throw new FhirError(403, 'forbidden', `Third-party apps cannot ${access} ${type} resources.`);
  const held = needed.filter((scope) => app.scopes.has(scope));
  if (held.length === 0) {
    throw new FhirError(403, 'forbidden', `${app.name} lacks the scope ${needed.join(' or ')}, needed to ${access} ${type} resources.`);
  }
  if (!scopes?.compartment || held.some((scope) => scope.startsWith('user/'))) return {};
  if (viewer.role !== Role.PATIENT) {
    throw new FhirError(
      403,
      'forbidden',
      `${held.join(' ')} is limited to the signed-in patient's own record, and this account is not a patient's (a user/ scope is needed).`,
    );
  }
  return { patientId: viewer.userId };
}

/** The patient a resource of the compartment belongs to (Patient, Appointment participant, Observation subject). */
export function patientsOf(resource: Resource): string[] {
  const idOf = (reference: string | undefined) => (reference?.startsWith('Patient/') ? [reference.slice('Patient/'.length)] : []);
  switch (resource.resourceType) {
    case 'Patient':
      return resource.id ? [resource.id] : [];
    case 'Appointment':
      return resource.participant.flatMap((participant) => idOf(participant.actor?.reference));
    case 'Observation':
      return idOf(resource.subject?.reference);
    case 'Bundle':
      return (resource.entry ?? []).flatMap((entry) => (entry.resource ? patientsOf(entry.resource) : []));
    default:
      return [];
  }
}

/** Throws 403 unless every patient the resource (or each entry of a Bundle) names is the limit's patient. */
export function assertWithinLimit(limit: ScopeLimit, resource: Resource): void {
  if (limit.patientId === undefined) return;
  const others = patientsOf(resource).filter((id) => id !== limit.patientId);
  if (others.length > 0) throw outsideCompartment(limit.patientId);
}

/** Throws 403 when a reference a request names (a search's patient, a $book participant) is another patient. */
export function assertReferenceWithinLimit(limit: ScopeLimit, patientId: string | null | undefined): void {
  if (limit.patientId === undefined || patientId === undefined) return;
  if (patientId !== limit.patientId) throw outsideCompartment(limit.patientId);
}

function outsideCompartment(patientId: string): FhirError {
  return new FhirError(403, 'forbidden', `This app's patient/ scopes are limited to Patient/${patientId}.`);
}
