// Builders for patientAdded events and list rows, shaped as the API sends them (with __typename).
import type { DoctorPatientsQuery } from '../../__generated__/graphql';
import type { PatientAddedEvent } from './patient-added';

export function appointment(id: string, startsAt: string, reason: string, patient: { id: string; name: string }) {
  const endsAt = new Date(Date.parse(startsAt) + 30 * 60_000).toISOString();
  return {
    __typename: 'Appointment' as const,
    id,
    startsAt,
    endsAt,
    status: 'BOOKED' as const,
    reason,
    confirmedAt: null,
    patient: { __typename: 'Patient' as const, ...patient },
  };
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

export function event(
  seq: number,
  doctorId: string,
  patient: { id: string; name: string },
  booked: ReturnType<typeof appointment>,
  firstVisit: boolean,
  earlier: ReturnType<typeof appointment>[] = [],
): PatientAddedEvent {
  return {
    __typename: 'PatientAddedEvent',
    cursor: `cursor-${seq}`,
    doctorId,
    firstVisit,
    patient: patientRow(patient.id, patient.name, [...earlier, booked]),
    appointment: booked,
  };
}

export const DOCTOR = 'doctor-a';
export const alice = { id: 'p-alice', name: 'Alice Martin' };
export const bob = { id: 'p-bob', name: 'Bob Nguyen' };
export const carmen = { id: 'p-carmen', name: 'Carmen Ruiz' };
export const aliceVisit = appointment('a-1', '2030-01-10T09:00:00.000Z', 'Chest pain', alice);
export const bobVisit = appointment('a-2', '2030-01-10T10:00:00.000Z', 'Palpitations', bob);

/** Doctor A's first page: Bob (booked last), then Alice. */
export function bobThenAlice(): DoctorPatientsQuery {
  return {
    __typename: 'Query',
    doctorPatients: {
      __typename: 'PatientConnection',
      totalCount: 2,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'list-2' },
      edges: [
        { __typename: 'PatientEdge', cursor: 'list-1', node: patientRow(bob.id, bob.name, [bobVisit]) },
        { __typename: 'PatientEdge', cursor: 'list-2', node: patientRow(alice.id, alice.name, [aliceVisit]) },
      ],
    },
  };
}
