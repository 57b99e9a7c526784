// How the normalized cache merges two versions of one appointment (Appointment:<id>) that arrive in
// either order: a live event and a query result that was read before or after it.
import type { TypePolicy } from '@apollo/client';

/**
 * The server's lifecycle only moves forward: BOOKED, then CHECKED_IN, then one of the final states
 * (server/src/features/appointments/appointments.transitions.ts). A status further along is newer.
 */
const STAGE: Readonly<Record<string, number>> = { BOOKED: 0, CHECKED_IN: 1, COMPLETED: 2, CANCELLED: 2, NO_SHOW: 2 };

/** The newer of two statuses: an older one (a query answered before a check-in committed) never wins. */
export function newerStatus(existing: unknown, incoming: unknown): unknown {
  if (typeof existing !== 'string' || typeof incoming !== 'string') return incoming;
  return (STAGE[existing] ?? 0) > (STAGE[incoming] ?? 0) ? existing : incoming;
}

export const appointmentPolicy: TypePolicy = {
  fields: {
    status: { merge: (existing: unknown, incoming: unknown) => newerStatus(existing, incoming) },
  },
};
