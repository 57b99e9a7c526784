// Merging the practice's live events (practicePatientAdded, practiceAppointmentUpdated) into the
// normalized cache: the appointment is written once by id (Appointment:<id>), so every view that
// shows it (each desk's board, whatever day it is on) follows; only the membership of each cached
// day of the board (Query.practiceSchedule per practice and range) is fixed here.
import type { ApolloCache, Reference } from '@apollo/client';
import type { BoardItemFragment } from '../../__generated__/graphql';
import { BOARD_ITEM } from './desk.graphql';
import { storedArgs } from '../../live/stored-args';

/**
 * Writes the appointment as it is now and puts it on (or takes it off) every cached day of the
 * practice's board by its time: a booking joins its day, a reschedule moves between days. Applying
 * the same appointment twice changes nothing the second time (a replay after a reconnect), and an
 * older version never undoes a newer status (see live/appointment-policy.ts).
 */
export function applyPracticeAppointment(cache: ApolloCache, practiceId: string, appointment: BoardItemFragment): void {
  cache.writeFragment({ fragment: BOARD_ITEM, data: appointment });
  placeOnCachedDays(cache, practiceId, appointment);
}

/** Only the membership part of applyPracticeAppointment (for events seen before a day was loaded). */
export function placeOnCachedDays(cache: ApolloCache, practiceId: string, appointment: Pick<BoardItemFragment, 'id'>): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      practiceSchedule(existing: readonly Reference[], { storeFieldName, readField, toReference }) {
        const args = storedArgs(storeFieldName);
        if (args['practiceId'] !== practiceId || typeof args['from'] !== 'string' || typeof args['to'] !== 'string') return existing;
        const ref = toReference({ __typename: 'Appointment', id: appointment.id });
        if (!ref) return existing;
        // The cached version (the newest) decides where it belongs, not the event's own copy.
        const starts = Date.parse(readField<string>('startsAt', ref) ?? '');
        const ends = Date.parse(readField<string>('endsAt', ref) ?? '');
        const overlaps = starts < Date.parse(args['to']) && ends > Date.parse(args['from']);
        const present = existing.some((item) => readField<string>('id', item) === appointment.id);
        if (overlaps === present) return existing;
        if (!overlaps) return existing.filter((item) => readField<string>('id', item) !== appointment.id);
        const start = (item: Reference) => Date.parse(readField<string>('startsAt', item) ?? '');
        return [...existing, ref].sort((a, b) => start(a) - start(b));
      },
    },
  });
}
