// One way for every live view to keep its cached lists of appointments by time (the doctor's day
// and week, each desk's days) in step with the normalized cache: the appointment itself is one
// entry (Appointment:<id>) that every list references; only which lists hold it depends on its time.
import type { ApolloCache, Reference } from '@apollo/client';
import { storedArgs } from './stored-args';

/** A cached list field of Query holding appointments in [from, to), and the argument naming its owner. */
export interface RangeList {
  readonly field: 'doctorSchedule' | 'practiceSchedule';
  readonly owner: { readonly arg: 'doctorId' | 'practiceId'; readonly id: string };
}

/**
 * Puts the cached appointment `appointmentId` on every cached list of `list` (any range: a day, a
 * week) that its current time overlaps, and takes it off the others, in start order. The cached
 * version (the newest) decides, not an event's own copy; a second call changes nothing.
 */
export function placeInCachedRanges(cache: ApolloCache, list: RangeList, appointmentId: string): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      [list.field](existing: readonly Reference[], { storeFieldName, readField, toReference }) {
        const args = storedArgs(storeFieldName);
        if (args[list.owner.arg] !== list.owner.id || typeof args['from'] !== 'string' || typeof args['to'] !== 'string') return existing;
        const ref = toReference({ __typename: 'Appointment', id: appointmentId });
        if (!ref) return existing;
        const starts = Date.parse(readField<string>('startsAt', ref) ?? '');
        const ends = Date.parse(readField<string>('endsAt', ref) ?? '');
        const overlaps = starts < Date.parse(args['to']) && ends > Date.parse(args['from']);
        const others = existing.filter((item) => readField<string>('id', item) !== appointmentId);
        if (!overlaps) return others.length === existing.length ? existing : others;
        // Joining, or moved within the range (a reschedule the same day): in start order again.
        const start = (item: Reference) => Date.parse(readField<string>('startsAt', item) ?? '');
        const placed = [...others, ref].sort((a, b) => start(a) - start(b));
        const id = (item: Reference | undefined) => (item ? readField<string>('id', item) : undefined);
        const unchanged = placed.length === existing.length && placed.every((item, index) => id(item) === id(existing[index]));
        return unchanged ? existing : placed;
      },
    },
  });
}
