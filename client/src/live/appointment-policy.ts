// How the normalized cache merges two versions of one appointment (Appointment:<id>) that arrive in
// either order: a live event and a query result that was read before or after it.
import type { ApolloCache, TypePolicy } from '@apollo/client';

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

/**
 * Writes a version of an appointment through `write`. The one way back in the lifecycle, an undone
 * check-in (CHECK_IN_UNDONE, within 5 minutes), is newer although its status is "older": the cached
 * status is dropped first so the merge above takes it. (A query answered before the undo and
 * arriving after it would still show the check-in until the next change or read: rare, and harmless.)
 */
export function writeAppointment(
  cache: ApolloCache,
  write: () => unknown,
  appointment: { readonly id: string },
  change: string | null | undefined,
): void {
  if (change === 'CHECK_IN_UNDONE') {
    cache.evict({ id: cache.identify({ __typename: 'Appointment', id: appointment.id }), fieldName: 'status', broadcast: false });
  }
  write();
}
