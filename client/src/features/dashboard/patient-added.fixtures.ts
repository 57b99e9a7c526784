// Builders for patientAdded events and list rows, shaped as the API sends them (with __typename).
import type { PatientAddedEvent } from './patient-added';

export function appointment(id: string, startsAt: string, reason: string, patient: { id: string; name: string }) {
  const endsAt = new Date(Date.parse(startsAt) + 30 * 60_000).toISOString();
  return { __typename: 'Appointment' as const, id, startsAt, endsAt, status: 'BOOKED' as const, reason, patient: { __typename: 'Patient' as const, ...patient } };
}

export function patientRow(id: string, name: string, appointments: ReturnType<typeof appointment>[]) {
  return {
    __typename: 'Patient' as const,
    id,
    name,
    dateOfBirth: null,
    appointments: appointments.map(({ patient: _patient, ...rest }) => rest),
    latestVitals: null,
  };
}

export function event(seq: number, doctorId: string, patient: { id: string; name: string }, booked: ReturnType<typeof appointment>, firstVisit: boolean, earlier: ReturnType<typeof appointment>[] = []): PatientAddedEvent {
  return {
    __typename: 'PatientAddedEvent',
    cursor: `cursor-${seq}`,
    doctorId,
    firstVisit,
    patient: patientRow(patient.id, patient.name, [...earlier, booked]),
    appointment: booked,
  };
}
