// The practice's live events merged into a real InMemoryCache with the app's type policies, no
// server: which column of which day each card is in after each event, in whatever order the
// events and the board's query answers arrive.
import { describe, expect, it } from 'vitest';
import { createCache } from '../../apollo';
import type { BoardItemFragment, PracticeScheduleQuery } from '../../__generated__/graphql';
import { PRACTICE_SCHEDULE } from './desk.graphql';
import { applyPracticeAppointment, placeOnCachedDays } from './practice-events';

const PRACTICE = 'practice-1';
const DAY = { from: '2030-01-10T00:00:00.000Z', to: '2030-01-11T00:00:00.000Z' };
const NEXT_DAY = { from: '2030-01-11T00:00:00.000Z', to: '2030-01-12T00:00:00.000Z' };

function visit(id: string, hour: number, status: BoardItemFragment['status'] = 'BOOKED', day = 10): BoardItemFragment {
  const at = (h: number, m: number) => `2030-01-${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
  return {
    __typename: 'Appointment',
    id,
    startsAt: at(hour, 0),
    endsAt: at(hour, 30),
    status,
    reason: null,
    checkedInAt: status === 'CHECKED_IN' ? at(hour, 5) : null,
    confirmedAt: null,
    doctor: { __typename: 'Doctor', id: 'doctor-1', name: 'Dr. A' },
    patient: { __typename: 'Patient', id: `patient-${id}`, name: `Patient ${id}` },
  };
}

function board(items: BoardItemFragment[]): PracticeScheduleQuery {
  return { __typename: 'Query', practiceSchedule: items };
}

function cards(cache: ReturnType<typeof createCache>, range: { from: string; to: string }) {
  return cache
    .readQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...range } })
    ?.practiceSchedule.map((item) => `${item.id} ${item.status}`);
}

describe('merging the practice events into the cached board', () => {
  it('moves a card already on the board when another desk checks it in, the patient cancels or the doctor completes', () => {
    const cache = createCache();
    cache.writeQuery({
      query: PRACTICE_SCHEDULE,
      variables: { practiceId: PRACTICE, ...DAY },
      data: board([visit('a', 9), visit('b', 10)]),
    });

    applyPracticeAppointment(cache, PRACTICE, visit('a', 9, 'CHECKED_IN'));
    applyPracticeAppointment(cache, PRACTICE, visit('b', 10, 'CANCELLED'));
    expect(cards(cache, DAY)).toEqual(['a CHECKED_IN', 'b CANCELLED']);

    applyPracticeAppointment(cache, PRACTICE, visit('a', 9, 'COMPLETED'));
    expect(cards(cache, DAY)).toEqual(['a COMPLETED', 'b CANCELLED']);
  });

  it('moves a card back to Booked when its check-in is undone, although BOOKED is an older status', () => {
    const cache = createCache();
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9)]) });
    applyPracticeAppointment(cache, PRACTICE, visit('a', 9, 'CHECKED_IN'), 'CHECKED_IN');
    expect(cards(cache, DAY)).toEqual(['a CHECKED_IN']);
    // A late query answer from before the check-in still does not move it back...
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9)]) });
    expect(cards(cache, DAY)).toEqual(['a CHECKED_IN']);
    // ...the undo does, and clears the arrival time.
    applyPracticeAppointment(cache, PRACTICE, visit('a', 9, 'BOOKED'), 'CHECK_IN_UNDONE');
    expect(cards(cache, DAY)).toEqual(['a BOOKED']);
    expect(
      cache.readQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY } })?.practiceSchedule[0]?.checkedInAt,
    ).toBeNull();
  });

  it('puts a booking on its day in time order, once, and not on another day', () => {
    const cache = createCache();
    cache.writeQuery({
      query: PRACTICE_SCHEDULE,
      variables: { practiceId: PRACTICE, ...DAY },
      data: board([visit('a', 9), visit('b', 11)]),
    });
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...NEXT_DAY }, data: board([]) });

    applyPracticeAppointment(cache, PRACTICE, visit('c', 10));
    applyPracticeAppointment(cache, PRACTICE, visit('c', 10));

    expect(cards(cache, DAY)).toEqual(['a BOOKED', 'c BOOKED', 'b BOOKED']);
    expect(cards(cache, NEXT_DAY)).toEqual([]);
  });

  it('moves a rescheduled appointment to the day it now falls on', () => {
    const cache = createCache();
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9)]) });
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...NEXT_DAY }, data: board([]) });

    applyPracticeAppointment(cache, PRACTICE, visit('a', 14, 'BOOKED', 11));

    expect(cards(cache, DAY)).toEqual([]);
    expect(cards(cache, NEXT_DAY)).toEqual(['a BOOKED']);
  });

  it('leaves the board of another practice alone', () => {
    const cache = createCache();
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: 'other', ...DAY }, data: board([]) });

    applyPracticeAppointment(cache, PRACTICE, visit('a', 9));

    expect(cache.readQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: 'other', ...DAY } })?.practiceSchedule).toEqual([]);
  });

  it('keeps a check-in that arrived live when an older answer of the board comes in after it', () => {
    const cache = createCache();
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9)]) });
    applyPracticeAppointment(cache, PRACTICE, visit('a', 9, 'CHECKED_IN'));

    // The board's refetch was read before the check-in committed.
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9, 'BOOKED')]) });

    expect(cards(cache, DAY)).toEqual(['a CHECKED_IN']);
  });

  it('places a booking whose event came before its day was loaded once the day loads without it', () => {
    const cache = createCache();
    const booked = visit('c', 10);
    applyPracticeAppointment(cache, PRACTICE, booked); // no day cached yet
    cache.writeQuery({ query: PRACTICE_SCHEDULE, variables: { practiceId: PRACTICE, ...DAY }, data: board([visit('a', 9)]) });

    placeOnCachedDays(cache, PRACTICE, booked);

    expect(cards(cache, DAY)).toEqual(['a BOOKED', 'c BOOKED']);
  });
});
