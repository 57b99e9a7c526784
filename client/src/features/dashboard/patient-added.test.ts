// The live merge against a real InMemoryCache with the app's type policies, no server: what the
// dashboard shows after each kind of patientAdded event.
import { describe, expect, it } from 'vitest';
import { createCache } from '../../apollo';
import type { DoctorScheduleQuery } from '../../__generated__/graphql';
import { applyPatientAdded } from './patient-added';
import { alice, aliceVisit, appointment, bob, bobThenAlice, bobVisit, carmen, DOCTOR, event, patientRow } from './patient-added.fixtures';
import { DOCTOR_PATIENTS, PAGE_SIZE } from './patient-list.graphql';
import { DOCTOR_SCHEDULE } from './schedule.graphql';

const OTHER_DOCTOR = 'doctor-b';

/** A cache holding doctor A's list: Bob (booked last), then Alice; and doctor A's schedule of 10 Jan. */
function cacheWithList() {
  const cache = createCache();
  cache.writeQuery({ query: DOCTOR_PATIENTS, variables: { doctorId: DOCTOR, first: PAGE_SIZE }, data: bobThenAlice() });
  const schedule: DoctorScheduleQuery = { __typename: 'Query', doctorSchedule: [aliceVisit, bobVisit] };
  cache.writeQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...DAY }, data: schedule });
  return cache;
}
const DAY = { from: '2030-01-10T00:00:00.000Z', to: '2030-01-11T00:00:00.000Z' };

function shown(cache: ReturnType<typeof createCache>, doctorId = DOCTOR) {
  const data = cache.readQuery({ query: DOCTOR_PATIENTS, variables: { doctorId, first: PAGE_SIZE } });
  return (
    data && {
      totalCount: data.doctorPatients.totalCount,
      rows: data.doctorPatients.edges.map((edge) => ({ name: edge.node.name, appointments: edge.node.appointments.map((a) => a.id) })),
    }
  );
}

describe('merging patientAdded into the cached patient list', () => {
  it('puts a new patient first and counts them, without touching the others', () => {
    const cache = cacheWithList();
    const booked = appointment('a-3', '2030-01-10T11:00:00.000Z', 'Blood pressure review', carmen);

    expect(applyPatientAdded(cache, event(1, DOCTOR, carmen, booked, true))).toBe('added');

    expect(shown(cache)).toEqual({
      totalCount: 3,
      rows: [
        { name: 'Carmen Ruiz', appointments: ['a-3'] },
        { name: 'Bob Nguyen', appointments: ['a-2'] },
        { name: 'Alice Martin', appointments: ['a-1'] },
      ],
    });
  });

  it('moves a known patient to the top with the new appointment, once in the list', () => {
    const cache = cacheWithList();
    const again = appointment('a-4', '2030-01-09T08:00:00.000Z', 'Follow-up', alice);

    expect(applyPatientAdded(cache, event(2, DOCTOR, alice, again, false, [aliceVisit]))).toBe('moved');

    expect(shown(cache)).toEqual({
      totalCount: 2,
      rows: [
        { name: 'Alice Martin', appointments: ['a-4', 'a-1'] }, // in time order
        { name: 'Bob Nguyen', appointments: ['a-2'] },
      ],
    });
  });

  it('ignores a duplicate event: same list, same order, same count', () => {
    const cache = cacheWithList();
    const booked = appointment('a-3', '2030-01-10T11:00:00.000Z', 'Blood pressure review', carmen);
    applyPatientAdded(cache, event(1, DOCTOR, carmen, booked, true));
    applyPatientAdded(cache, event(2, DOCTOR, bob, appointment('a-5', '2030-01-12T09:00:00.000Z', 'Check', bob), false, [bobVisit]));
    const before = shown(cache);

    expect(applyPatientAdded(cache, event(1, DOCTOR, carmen, booked, true))).toBe('duplicate');

    expect(shown(cache)).toEqual(before);
    expect(before?.rows[0]?.name).toBe('Bob Nguyen'); // the replayed older event did not move Carmen back up
  });

  it("leaves this doctor's list alone for an event of another doctor", () => {
    const cache = cacheWithList();
    const before = shown(cache);
    const elsewhere = appointment('a-6', '2030-01-10T12:00:00.000Z', 'Elsewhere', carmen);

    expect(applyPatientAdded(cache, event(1, OTHER_DOCTOR, carmen, elsewhere, true))).toBe('not-loaded');

    expect(shown(cache)).toEqual(before);
    expect(shown(cache, OTHER_DOCTOR)).toBeNull();
    const schedule = cache.readQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...DAY } });
    expect(schedule?.doctorSchedule.map((item) => item.id)).toEqual(['a-1', 'a-2']);
  });

  it('adds the appointment to the schedule on screen, in time order, when it falls on that day', () => {
    const cache = cacheWithList();
    const early = appointment('a-7', '2030-01-10T08:00:00.000Z', 'Early', carmen);
    const nextDay = appointment('a-8', '2030-01-11T08:00:00.000Z', 'Tomorrow', carmen);

    applyPatientAdded(cache, event(1, DOCTOR, carmen, early, true));
    applyPatientAdded(cache, event(2, DOCTOR, carmen, nextDay, false, [early]));

    const schedule = cache.readQuery({ query: DOCTOR_SCHEDULE, variables: { doctorId: DOCTOR, ...DAY } });
    expect(schedule?.doctorSchedule.map((item) => item.id)).toEqual(['a-7', 'a-1', 'a-2']);
  });

  it('appends a "load more" page after the loaded patients, skipping one who already moved up', () => {
    const cache = cacheWithList();
    applyPatientAdded(cache, event(1, DOCTOR, carmen, appointment('a-3', '2030-01-10T11:00:00.000Z', 'New', carmen), false));
    cache.writeQuery({
      query: DOCTOR_PATIENTS,
      variables: { doctorId: DOCTOR, first: PAGE_SIZE, after: 'list-2' },
      data: {
        __typename: 'Query',
        doctorPatients: {
          __typename: 'PatientConnection',
          totalCount: 3,
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'list-3' },
          edges: [
            {
              __typename: 'PatientEdge',
              cursor: 'list-3',
              node: patientRow(carmen.id, carmen.name, [appointment('a-3', '2030-01-10T11:00:00.000Z', 'New', carmen)]),
            },
          ],
        },
      },
    });

    expect(shown(cache)?.rows.map((row) => row.name)).toEqual(['Carmen Ruiz', 'Bob Nguyen', 'Alice Martin']);
  });
});
