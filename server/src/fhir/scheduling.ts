import type { Appointment as FhirAppointment, Bundle, Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import { Role } from '../generated/prisma/enums';
import { ErrorCode, isPublicError } from '../platform/errors';
import { isUuid } from '../platform/validation';
import { holdAsAppointment, slotId, toFhirAppointment } from './mapping';
import { FhirError, invalid, notSupported } from './outcome';
import type { FhirContext } from './resource-handler';
import { assertReferenceWithinLimit } from './smart-scopes';

/** A proposed appointment lasts one slot (the Slot resource's length). */
const PROPOSED_MINUTES = 30;
/** $find without a practitioner looks at this many doctors at most (of the specialty asked). */
const MAX_DOCTORS = 20;

/**
 * A Parameters body, checked before anything reads it (a trust boundary): only the shapes the
 * operations use; unknown parameter names are refused by each operation.
 */
const ParametersBody = z.object({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(
      z.object({
        name: z.string(),
        valueDateTime: z.string().optional(),
        valueInstant: z.string().optional(),
        valueString: z.string().optional(),
        valueReference: z.object({ reference: z.string() }).optional(),
        resource: z.unknown().optional(),
      }),
    )
    .default([]),
});
type Parameter = z.infer<typeof ParametersBody>['parameter'][number];

function parametersOf(body: unknown, allowed: readonly string[]): Parameter[] {
  const parsed = ParametersBody.safeParse(body);
  if (!parsed.success) throw invalid('The body must be a Parameters resource (resourceType "Parameters", parameter: [...]).');
  for (const parameter of parsed.data.parameter) {
    if (!allowed.includes(parameter.name))
      throw notSupported(`The parameter '${parameter.name}' is not supported (supported: ${allowed.join(', ')}).`);
  }
  return parsed.data.parameter;
}

function instantOf(parameters: readonly Parameter[], name: string, required: true): Date;
function instantOf(parameters: readonly Parameter[], name: string, required: false): Date | undefined;
function instantOf(parameters: readonly Parameter[], name: string, required: boolean): Date | undefined {
  const parameter = parameters.find((candidate) => candidate.name === name);
  const text = parameter?.valueDateTime ?? parameter?.valueInstant ?? parameter?.valueString;
  if (text === undefined) {
    if (required) throw invalid(`The Parameters body needs '${name}' (valueDateTime).`);
    return undefined;
  }
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) throw invalid(`'${name}' must be a dateTime.`);
  return at;
}

/** The id a reference names (`Type/<id>` or `<id>`), or a 400 naming the parameter. */
function idOf(reference: string, type: string, what: string): string {
  const id = reference.startsWith(`${type}/`) ? reference.slice(type.length + 1) : reference;
  if (!isUuid(id)) throw invalid(`${what} must reference ${type}/<id>.`);
  return id;
}

function proposed(context: FhirContext, doctorId: string, start: Date): FhirAppointment {
  const end = new Date(start.getTime() + PROPOSED_MINUTES * 60_000);
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    start: start.toISOString(),
    end: end.toISOString(),
    minutesDuration: PROPOSED_MINUTES,
    slot: [{ reference: `Slot/${slotId(doctorId, start)}` }],
    participant: [
      { actor: { reference: `Practitioner/${doctorId}` }, status: 'needs-action' },
      ...(context.viewer.role === Role.PATIENT
        ? [{ actor: { reference: `Patient/${context.viewer.userId}` }, status: 'needs-action' as const }]
        : []),
    ],
  };
}

function bundleOf(resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

/**
 * Appointment/$find (IHE ITI Scheduling, Argonaut): `start`, `end` and a `practitioner` (or a
 * `specialty`) → one proposed Appointment per free 30-minute slot, from the availability service
 * (the same free times as GraphQL availableSlots, at most 31 days).
 */
export async function findAppointments(context: FhirContext, body: unknown): Promise<Bundle> {
  const parameters = parametersOf(body, ['start', 'end', 'practitioner', 'specialty']);
  const start = instantOf(parameters, 'start', true);
  const end = instantOf(parameters, 'end', true);
  const practitioner = parameters.find((parameter) => parameter.name === 'practitioner');
  const specialty = parameters.find((parameter) => parameter.name === 'specialty')?.valueString;
  const reference = practitioner?.valueReference?.reference ?? practitioner?.valueString;
  let doctorIds: string[];
  if (reference !== undefined) {
    doctorIds = [idOf(reference, 'Practitioner', 'practitioner')];
  } else if (specialty !== undefined) {
    const doctors = await context.services.doctors.listDoctors(context.viewer);
    doctorIds = doctors
      .filter((doctor) => doctor.specialty.toLowerCase() === specialty.toLowerCase())
      .slice(0, MAX_DOCTORS)
      .map((doctor) => doctor.id);
  } else {
    throw invalid("The Parameters body needs 'practitioner' (valueReference Practitioner/<id>) or 'specialty' (valueString).");
  }
  const found = await Promise.all(
    doctorIds.map(async (doctorId) => {
      const free = await context.services.availability.availableSlots(context.viewer, doctorId, {
        from: start,
        to: end,
        durationMinutes: PROPOSED_MINUTES,
      });
      return free.map((at) => proposed(context, doctorId, at));
    }),
  );
  return bundleOf(found.flat().sort((a, b) => String(a.start).localeCompare(String(b.start))));
}

/**
 * The Appointment a $hold or $book asks for: its participants, start, end and description; `id`
 * for a $book of a hold (the `pending` Appointment $hold returned, sent back as it came).
 */
const RequestedAppointment = z.object({
  resourceType: z.literal('Appointment'),
  id: z.string().optional(),
  status: z.string().optional(),
  start: z.string(),
  end: z.string(),
  description: z.string().optional(),
  participant: z.array(z.object({ actor: z.object({ reference: z.string() }).optional() })).min(1),
});
type RequestedAppointment = z.infer<typeof RequestedAppointment>;

/** The `appointment` parameter of a $hold or $book body, checked (400 `invalid` naming what is missing). */
function requestedAppointment(body: unknown, what: string): RequestedAppointment {
  const parameters = parametersOf(body, ['appointment']);
  const resource = parameters.find((parameter) => parameter.name === 'appointment')?.resource;
  if (resource === undefined) throw invalid(`The Parameters body needs 'appointment' (resource: ${what}).`);
  const parsed = RequestedAppointment.safeParse(resource);
  if (!parsed.success)
    throw invalid('appointment must be an Appointment with start, end and participants (Practitioner, and Patient for staff).');
  return parsed.data;
}

/** Who and when an appointment resource asks for, as the booking service takes it. */
function bookingOf(context: FhirContext, appointment: RequestedAppointment) {
  const references = appointment.participant.flatMap((participant) => (participant.actor ? [participant.actor.reference] : []));
  const practitioner = references.find((reference) => reference.startsWith('Practitioner/'));
  if (!practitioner) throw invalid('appointment needs a Practitioner participant.');
  const patient = references.find((reference) => reference.startsWith('Patient/'));
  const startsAt = new Date(appointment.start);
  const endsAt = new Date(appointment.end);
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()) || endsAt <= startsAt) {
    throw invalid('appointment start and end must be instants, end after start.');
  }
  const patientId = patient === undefined ? null : idOf(patient, 'Patient', 'The Patient participant');
  // A patient/Appointment.cu token books and holds for its own patient only, refused before anything is written.
  if (patientId !== null) assertReferenceWithinLimit(context.limit, patientId);
  return {
    doctorId: idOf(practitioner, 'Practitioner', 'The Practitioner participant'),
    patientId,
    startsAt,
    durationMinutes: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
  };
}

/**
 * Appointment/$hold of a proposed appointment (one of $find's): the time held for HOLD_TTL through
 * the booking service's holdSlot (the same rules and rate limit as booking; the database keeps
 * anyone else from booking or holding it, and it frees itself at expiry). Answers the Appointment
 * `pending` whose id is the hold's: $book it with that id. A taken time is 409 `conflict`.
 */
export async function holdAppointment(context: FhirContext, body: unknown): Promise<FhirAppointment> {
  const appointment = requestedAppointment(body, 'the proposed Appointment to hold');
  if (appointment.status !== undefined && appointment.status !== 'proposed')
    throw invalid(`appointment.status must be 'proposed' (one of $find's), not '${appointment.status.slice(0, 32)}'.`);
  if (appointment.id !== undefined) throw invalid('A proposed appointment has no id yet: $hold makes one.');
  const hold = await context.services.appointments.holdSlot(context.viewer, bookingOf(context, appointment));
  return toFhirAppointment(holdAsAppointment(hold));
}

/**
 * Appointment/$book of a proposed appointment (one of $find's), or of a hold (the `pending`
 * Appointment $hold returned, with its id): booked through the booking service, so it is the
 * same booking as GraphQL's (events, mail, webhooks, audit); a taken time is 409 `conflict`, an
 * expired hold 409 `business-rule`, an unknown or someone else's hold 404. A patient books for
 * themself; staff name the Patient participant.
 */
export async function bookAppointment(context: FhirContext, body: unknown): Promise<Bundle> {
  const appointment = requestedAppointment(body, 'the proposed Appointment, or the pending one $hold returned');
  const booked = await context.services.appointments.bookAppointment(context.viewer, {
    ...bookingOf(context, appointment),
    reason: appointment.description ?? null,
    holdId: appointment.id ?? null,
  });
  return bundleOf([toFhirAppointment(booked)]);
}

const JsonPatch = z.array(z.object({ op: z.string(), path: z.string(), value: z.unknown().optional() }));

/**
 * PATCH Appointment/<id> with a JSON Patch: only cancelling is supported,
 * `[{"op":"replace","path":"/status","value":"cancelled"}]`, optionally with
 * `{"op":"add","path":"/cancelationReason","value":{"text":"..."}}`; through the lifecycle service.
 */
export async function patchAppointment(context: FhirContext, id: string, body: unknown): Promise<FhirAppointment> {
  const parsed = JsonPatch.safeParse(body);
  if (!parsed.success) throw invalid('The body must be a JSON Patch (an array of operations).');
  let cancel = false;
  let reason: string | null = null;
  for (const operation of parsed.data) {
    if (operation.op === 'replace' && operation.path === '/status' && operation.value === 'cancelled') cancel = true;
    else if ((operation.op === 'add' || operation.op === 'replace') && operation.path === '/cancelationReason') {
      const text = z.object({ text: z.string() }).safeParse(operation.value);
      if (!text.success) throw invalid('cancelationReason must be a CodeableConcept with text.');
      reason = text.data.text;
    } else {
      throw new FhirError(
        422,
        'not-supported',
        'Only cancelling is supported: [{"op":"replace","path":"/status","value":"cancelled"}] (and cancelationReason).',
      );
    }
  }
  if (!cancel) throw new FhirError(422, 'not-supported', 'The patch must set /status to cancelled.');
  try {
    return toFhirAppointment(await context.services.appointmentLifecycle.cancelAppointment(context.viewer, id, reason));
  } catch (error) {
    // GraphQL says FORBIDDEN for someone else's appointment; FHIR answers 404 for what the caller
    // may not know, and keeps 403 for an appointment they can see but not cancel.
    if (isPublicError(error) && error.extensions['code'] === ErrorCode.Forbidden)
      await context.services.appointments.readAppointment(context.viewer, id);
    throw error;
  }
}
