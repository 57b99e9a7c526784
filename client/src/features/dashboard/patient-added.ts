// Merging a live `patientAdded` event into the normalized cache, without refetching anything.
import type { ApolloCache } from '@apollo/client';
import type { DoctorPatientsQuery, PatientAddedSubscription, PatientRowFragment } from '../../__generated__/graphql';
import { placeInSchedules } from './clinic-events';
import { DOCTOR_PATIENTS, PAGE_SIZE } from './patient-list.graphql';
import { SCHEDULE_ITEM } from './schedule.graphql';

export type PatientAddedEvent = PatientAddedSubscription['patientAdded'];

/**
 * - `added`: a new patient, now first in the list;
 * - `moved`: a patient already listed, moved to the top with the new appointment;
 * - `duplicate`: this appointment is already in the list (a replayed or repeated event): nothing changed;
 * - `not-loaded`: this doctor's list is not in the cache yet (the caller keeps the event for later).
 */
export type MergeOutcome = 'added' | 'moved' | 'duplicate' | 'not-loaded';

type Connection = DoctorPatientsQuery['doctorPatients'];
type Appointment = PatientRowFragment['appointments'][number];

/**
 * The list after the event: the patient first (newest booking first, as the server orders it),
 * deduplicated by patient id and by appointment id. Pure, so the rules are tested without a cache.
 */
export function mergePatientIntoList(
  list: Connection,
  event: PatientAddedEvent,
): { list: Connection; outcome: 'added' | 'moved' | 'duplicate' } {
  const index = list.edges.findIndex((edge) => edge.node.id === event.patient.id);
  const known = index >= 0 ? list.edges[index] : undefined;
  if (known?.node.appointments.some((appointment) => appointment.id === event.appointment.id)) {
    return { list, outcome: 'duplicate' };
  }
  const node: PatientRowFragment = {
    ...known?.node,
    ...event.patient,
    appointments: mergeAppointments(known?.node.appointments ?? [], event.patient.appointments, [toRowAppointment(event.appointment)]),
  };
  const edge = {
    __typename: 'PatientEdge' as const,
    // The list cursor (the server's position) is only read from the last edge for "load more";
    // a patient who just booked is first, so the event cursor stands in until the next page load.
    cursor: known?.cursor ?? event.cursor,
    node,
  };
  const others = list.edges.filter((_, position) => position !== index);
  // totalCount counts every patient of the doctor: it grows only on a first visit, even when the
  // patient was further down, on a page not loaded yet.
  const totalCount = list.totalCount + (event.firstVisit && !known ? 1 : 0);
  return { list: { ...list, totalCount, edges: [edge, ...others] }, outcome: known ? 'moved' : 'added' };
}

/** Applies the event to the cached list of `event.doctorId`, and to every cached schedule (day or week) that shows its time. */
export function applyPatientAdded(cache: ApolloCache, event: PatientAddedEvent): MergeOutcome {
  let outcome: MergeOutcome = 'not-loaded';
  cache.updateQuery({ query: DOCTOR_PATIENTS, variables: { doctorId: event.doctorId, first: PAGE_SIZE } }, (data) => {
    if (!data) return undefined;
    const merged = mergePatientIntoList(data.doctorPatients, event);
    outcome = merged.outcome;
    return merged.outcome === 'duplicate' ? undefined : { ...data, doctorPatients: merged.list };
  });
  cache.writeFragment({ fragment: SCHEDULE_ITEM, data: event.appointment });
  placeInSchedules(cache, event.doctorId, event.appointment.id);
  return outcome;
}

function toRowAppointment({ id, startsAt, endsAt, status, reason }: PatientAddedEvent['appointment']): Appointment {
  return { __typename: 'Appointment', id, startsAt, endsAt, status, reason };
}

function mergeAppointments(...lists: ReadonlyArray<readonly Appointment[]>): Appointment[] {
  const byId = new Map<string, Appointment>();
  for (const list of lists) for (const appointment of list) byId.set(appointment.id, { ...byId.get(appointment.id), ...appointment });
  return [...byId.values()].sort(byStart);
}

function byStart(a: { startsAt: string; id: string }, b: { startsAt: string; id: string }): number {
  return Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id);
}
