// Merging the practice's live events (practicePatientAdded, practiceAppointmentUpdated) into the
// normalized cache: the appointment is written once by id (Appointment:<id>), so every view that
// shows it (each desk's board, whatever day it is on) follows; only the membership of each cached
// day of the board (Query.practiceSchedule per practice and range) is fixed here.
import type { ApolloCache } from '@apollo/client';
import type { AppointmentChange, BoardItemFragment } from '../../__generated__/graphql';
import { BOARD_ITEM } from './desk.graphql';
import { placeInCachedRanges } from '../../live/cached-ranges';
import { writeAppointment } from '../../live/appointment-policy';

/**
 * Writes the appointment as it is now and puts it on (or takes it off) every cached day of the
 * practice's board by its time: a booking joins its day, a reschedule moves between days. Applying
 * the same appointment twice changes nothing the second time (a replay after a reconnect), and an
 * older version never undoes a newer status (see live/appointment-policy.ts).
 */
export function applyPracticeAppointment(
  cache: ApolloCache,
  practiceId: string,
  appointment: BoardItemFragment,
  change?: AppointmentChange,
): void {
  writeAppointment(cache, () => cache.writeFragment({ fragment: BOARD_ITEM, data: appointment }), appointment, change);
  placeOnCachedDays(cache, practiceId, appointment);
}

/** Only the membership part of applyPracticeAppointment (for events seen before a day was loaded). */
export function placeOnCachedDays(cache: ApolloCache, practiceId: string, appointment: Pick<BoardItemFragment, 'id'>): void {
  placeInCachedRanges(cache, { field: 'practiceSchedule', owner: { arg: 'practiceId', id: practiceId } }, appointment.id);
}
