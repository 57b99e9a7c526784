import { randomUUID } from 'node:crypto';
import type { PatientAddedPayload } from '../../src/features/appointments/appointments.events';

/**
 * A valid `patientAdded` payload of the doctor's, for tests that emit or append events without a
 * booking (the outbox, transactions, streams): a visit tomorrow, a made-up patient.
 */
export function patientAddedPayload(seq: number, doctorId: string): PatientAddedPayload {
  const startsAt = new Date(Date.now() + 86_400_000);
  return {
    seq,
    doctorId,
    firstVisit: false,
    patient: { id: randomUUID(), name: 'Test Patient', dateOfBirth: null },
    appointment: {
      id: randomUUID(),
      doctorId,
      patientId: randomUUID(),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 1_800_000).toISOString(),
      status: 'BOOKED',
      reason: null,
    },
  };
}
