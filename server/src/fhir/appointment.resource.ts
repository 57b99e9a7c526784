import type { AppointmentFilter } from '../features/appointments/appointments.service';
import { AppointmentStatus } from '../generated/prisma/enums';
import { APPOINTMENT_STATUS, toFhirAppointment } from './mapping';
import { invalid } from './outcome';
import type { ResourceHandler } from './resource-handler';
import { dateRange, nextByOffset, parseDateBound, referencedId, searchBundle, type SearchRequest } from './search';

// Searches list appointments, never holds: `pending` is only ever read by the hold's id.
const STATUS_OF_FHIR = new Map(
  Object.entries(APPOINTMENT_STATUS)
    .filter(([ours]) => ours !== AppointmentStatus.HELD)
    .map(([ours, fhir]) => [fhir, ours as AppointmentStatus]),
);

/** The filter a search asks for, or null when it names something that cannot match (an id of another type). */
function filterOf(search: SearchRequest): AppointmentFilter | null {
  const patient = search.one('patient');
  const practitioner = search.one('practitioner');
  const patientId = patient === undefined ? undefined : referencedId(patient, 'Patient');
  const doctorId = practitioner === undefined ? undefined : referencedId(practitioner, 'Practitioner');
  if (patientId === null || doctorId === null) return null;
  const statusParam = search.one('status');
  const statuses = statusParam?.split(',').map((status) => {
    const ours = [...STATUS_OF_FHIR].find(([fhir]) => fhir === status)?.[1];
    if (!ours) throw invalid(`Unknown Appointment status '${status}' (known: ${[...STATUS_OF_FHIR.keys()].join(', ')}).`);
    return ours;
  });
  const range = dateRange((search.params.get('date') ?? []).map((value) => parseDateBound(value, 'date')));
  return {
    ...(patientId ? { patientId } : {}),
    ...(doctorId ? { doctorId } : {}),
    ...(statuses ? { statuses } : {}),
    ...(range.from ? { startsFrom: range.from } : {}),
    ...(range.to ? { startsBefore: range.to } : {}),
  };
}

/** Appointments as GraphQL shows them: a patient's own, a doctor's own, the desk's practice's. */
export const appointmentResource: ResourceHandler = {
  type: 'Appointment',
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'Patient/<id>.' },
    { name: 'practitioner', type: 'reference', documentation: 'Practitioner/<doctor id>.' },
    { name: 'date', type: 'date', documentation: 'The start, with a prefix eq, ge, gt, le or lt; may be given twice for a range.' },
    { name: 'status', type: 'token', documentation: 'booked, checked-in, fulfilled, cancelled or noshow; several comma-separated.' },
  ],
  repeatable: ['date'],
  operations: ['find', 'hold', 'book'],
  patch: true,
  // A live hold reads as an Appointment `pending` (its expiry in an extension); an expired one is gone.
  read: async ({ services, viewer }, id) => toFhirAppointment(await services.appointments.readAppointment(viewer, id, { liveHolds: true })),
  search: async ({ services, viewer, base }, search) => {
    const filter = filterOf(search);
    if (filter === null) return searchBundle(base, 'Appointment', search, [], 0, null);
    const { appointments, total } = await services.appointments.searchAppointments(viewer, filter, search.count, search.offset);
    return searchBundle(
      base,
      'Appointment',
      search,
      appointments.map(toFhirAppointment),
      total,
      nextByOffset(search, appointments.length, total),
    );
  },
};
