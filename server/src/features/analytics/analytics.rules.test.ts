import { AppointmentStatus } from '../../generated/prisma/enums';
import type { Schedule } from '../availability/availability.rules';
import {
  leadTimeBucketOf,
  analyticsOfHistory,
  dayBuckets,
  daysToCsv,
  firstBookingIds,
  isLateCancellation,
  median,
  previousRange,
  thirdNextAvailableDays,
  validateAnalyticsRange,
  workingMinutes,
  type AppointmentFacts,
} from './analytics.rules';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

const DOCTOR = 'd1';
const OTHER_DOCTOR = 'd2';
const STAFF = 'staff-1';

let sequence = 0;
/** One appointment of a hand-made history: 30 minutes, booked by the patient a week before, unless told otherwise. */
function visit(startsAt: string, overrides: Partial<AppointmentFacts> = {}): AppointmentFacts {
  sequence += 1;
  const start = at(startsAt);
  const patientId = overrides.patientId ?? `p${sequence}`;
  return {
    id: `a${String(sequence).padStart(3, '0')}`,
    doctorId: DOCTOR,
    patientId,
    startsAt: start,
    endsAt: new Date(start.getTime() + 30 * 60_000),
    status: AppointmentStatus.BOOKED,
    createdAt: new Date(start.getTime() - 7 * DAY),
    createdById: patientId,
    cancelledAt: null,
    checkedInAt: null,
    completedAt: null,
    confirmedAt: null,
    ...overrides,
  };
}

/** Monday to Friday 09:00-17:00 in New York. */
const weekdays: Schedule = {
  timeZone: NY,
  intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 })),
  daysOff: new Set(),
};

describe('the range', () => {
  it('refuses an empty, backwards or longer-than-a-year range with BAD_USER_INPUT naming the field', () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
        return 'OK';
      } catch (error) {
        return `${String((error as { extensions?: Record<string, unknown> }).extensions?.['code'])}:${String((error as { extensions?: Record<string, unknown> }).extensions?.['field'])}`;
      }
    };
    expect(codeOf(() => validateAnalyticsRange(at('2027-01-02T00:00Z'), at('2027-01-02T00:00Z')))).toBe('BAD_USER_INPUT:to');
    expect(codeOf(() => validateAnalyticsRange(at('2027-01-02T00:00Z'), at('2027-01-01T00:00Z')))).toBe('BAD_USER_INPUT:to');
    expect(codeOf(() => validateAnalyticsRange(at('2027-01-01T00:00Z'), at('2028-01-02T00:00:01Z')))).toBe('BAD_USER_INPUT:to');
    expect(codeOf(() => validateAnalyticsRange(at('2027-01-01T00:00Z'), at('2028-01-02T00:00Z')))).toBe('OK');
  });

  it('compares with the period of the same length just before', () => {
    expect(previousRange({ start: at('2027-03-10T00:00Z'), end: at('2027-03-17T00:00Z') })).toEqual({
      start: at('2027-03-03T00:00Z'),
      end: at('2027-03-10T00:00Z'),
    });
  });
});

describe('days of the practice', () => {
  it('has a 23-hour day when New York springs forward and a 25-hour one when it falls back', () => {
    const spring = dayBuckets({ start: at('2027-03-13T05:00Z'), end: at('2027-03-16T04:00Z') }, NY);
    expect(spring.map((day) => [day.date, (day.end.getTime() - day.start.getTime()) / HOUR])).toEqual([
      ['2027-03-13', 24],
      ['2027-03-14', 23],
      ['2027-03-15', 24],
    ]);
    const fall = dayBuckets({ start: at('2027-11-06T04:00Z'), end: at('2027-11-09T05:00Z') }, NY);
    expect(fall.map((day) => [day.date, (day.end.getTime() - day.start.getTime()) / HOUR])).toEqual([
      ['2027-11-06', 24],
      ['2027-11-07', 25],
      ['2027-11-08', 24],
    ]);
  });

  it('cuts the first and last day to a range that does not start or end at midnight, dropping neither', () => {
    const days = dayBuckets({ start: at('2027-03-13T17:00Z'), end: at('2027-03-15T15:00Z') }, NY);
    expect(days.map((day) => day.date)).toEqual(['2027-03-13', '2027-03-14', '2027-03-15']);
    expect(days[0]?.start).toEqual(at('2027-03-13T17:00Z'));
    expect(days[2]?.end).toEqual(at('2027-03-15T15:00Z'));
  });

  it('counts a visit at 23:30 local time on its local day, not on the UTC day, across both changes', () => {
    const history = [
      visit('2027-03-15T03:30Z'), // Sunday 14 March 23:30 EDT (UTC: the 15th)
      visit('2027-03-14T06:30Z'), // Sunday 14 March 01:30 EST, before the change
      visit('2027-11-08T04:30Z'), // Sunday 7 November 23:30 EST (UTC: the 8th)
      visit('2027-11-07T05:30Z', { status: AppointmentStatus.NO_SHOW }), // 01:30 EDT... the first 01:30 of the 7th
      visit('2027-11-07T06:30Z', { status: AppointmentStatus.CANCELLED, cancelledAt: at('2027-11-01T00:00Z') }), // the second 01:30 (EST)
    ];
    const spring = analyticsOfHistory({
      history,
      range: { start: at('2027-03-13T05:00Z'), end: at('2027-03-16T04:00Z') },
      now: at('2027-12-01T00:00Z'),
      timeZone: NY,
      doctorIds: [DOCTOR],
      schedules: new Map(),
    });
    expect(spring.byDay.map((day) => [day.date, day.appointments])).toEqual([
      ['2027-03-13', 0],
      ['2027-03-14', 2],
      ['2027-03-15', 0],
    ]);
    const fall = analyticsOfHistory({
      history,
      range: { start: at('2027-11-07T04:00Z'), end: at('2027-11-08T05:00Z') },
      now: at('2027-12-01T00:00Z'),
      timeZone: NY,
      doctorIds: [DOCTOR],
      schedules: new Map(),
    });
    expect(fall.byDay).toEqual([{ date: '2027-11-07', appointments: 3, completed: 0, cancelled: 1, noShows: 1 }]);
  });
});

describe('counts and rates', () => {
  const now = at('2027-06-10T16:00Z');
  const range = { start: at('2027-06-07T04:00Z'), end: at('2027-06-14T04:00Z') }; // Mon 7 to Sun 13 June, New York
  const walkInPatient = 'walk-in';
  const history = [
    // Monday: completed (checked in 10 min late, 25 min visit), a no-show, a late and an early cancellation.
    // Confirmed: the completed visit (the day before), and the Friday one; the no-show's
    // confirmation came after its start (counts for nothing), the cancelled one's is not booked.
    visit('2027-06-07T13:00Z', {
      status: AppointmentStatus.COMPLETED,
      checkedInAt: at('2027-06-07T13:10Z'),
      completedAt: at('2027-06-07T13:35Z'),
      confirmedAt: at('2027-06-06T12:00Z'),
    }),
    visit('2027-06-07T14:00Z', { status: AppointmentStatus.NO_SHOW, confirmedAt: at('2027-06-07T14:05Z') }),
    visit('2027-06-07T15:00Z', {
      status: AppointmentStatus.CANCELLED,
      cancelledAt: at('2027-06-06T16:00Z'),
      confirmedAt: at('2027-06-05T09:00Z'),
    }), // 23 h before: late
    visit('2027-06-07T16:00Z', { status: AppointmentStatus.CANCELLED, cancelledAt: at('2027-06-06T15:00Z') }), // 25 h before: not late
    // Wednesday: a walk-in booked by the desk minutes before, then completed (45 min cycle).
    visit('2027-06-09T14:00Z', {
      patientId: walkInPatient,
      createdById: STAFF,
      createdAt: at('2027-06-09T13:55Z'),
      status: AppointmentStatus.COMPLETED,
      checkedInAt: at('2027-06-09T14:00Z'),
      completedAt: at('2027-06-09T14:45Z'),
    }),
    // Friday (after now): booked, one hour long, by a returning patient who first booked in May.
    visit('2027-06-11T14:00Z', { patientId: 'returning', endsAt: at('2027-06-11T15:00Z'), confirmedAt: at('2027-06-10T12:00Z') }),
    visit('2027-05-03T14:00Z', { patientId: 'returning', status: AppointmentStatus.COMPLETED }),
    // Another doctor of the practice: in the practice's history, outside this doctor's scope.
    visit('2027-06-08T14:00Z', { doctorId: OTHER_DOCTOR }),
  ];
  const figures = analyticsOfHistory({ history, range, now, timeZone: NY, doctorIds: [DOCTOR], schedules: new Map([[DOCTOR, weekdays]]) });

  it('counts every status, booked ones, and late cancellations (cancelled_at less than 24 h before the start)', () => {
    expect(figures).toMatchObject({ appointments: 6, booked: 4, completed: 2, cancelled: 2, noShows: 1, lateCancelled: 1 });
    expect(figures.lateCancellationRate).toBeCloseTo(1 / 6);
  });

  it('rates no-shows against booked appointments whose start has passed by now', () => {
    // Passed and not cancelled: the Monday completed and no-show, the Wednesday walk-in; Friday is still ahead.
    expect(figures.noShowRate).toBeCloseTo(1 / 3);
  });

  it('tells walk-ins booked by staff from self-bookings, and first bookings from returning patients', () => {
    expect(figures.selfBookedShare).toBeCloseTo(3 / 4);
    expect(figures.newPatientShare).toBeCloseTo(3 / 4);
  });

  it('takes the medians of lead time (booked) and of check-in to completion (completed with a check-in)', () => {
    // Lead times: 7, 7, 5 min, 7 days -> median 7.
    expect(figures.medianLeadTimeDays).toBeCloseTo(7);
    expect(figures.medianCycleMinutes).toBeCloseTo((25 + 45) / 2);
  });

  it('distributes booked lead times over every bucket, in order: the walk-in booked minutes ahead in the first', () => {
    expect(figures.leadTimes).toEqual([
      { fromDays: 0, toDays: 1, booked: 1 },
      { fromDays: 1, toDays: 2, booked: 0 },
      { fromDays: 2, toDays: 4, booked: 0 },
      { fromDays: 4, toDays: 8, booked: 3 },
      { fromDays: 8, toDays: 15, booked: 0 },
      { fromDays: 15, toDays: 31, booked: 0 },
      { fromDays: 31, toDays: null, booked: 0 },
    ]);
  });

  it('pools utilization: booked scheduled minutes over working-hour minutes, days off excluded', () => {
    // Booked minutes: 30 + 30 + 30 + 60 = 150; five 8-hour days = 2,400 minutes.
    expect(figures.utilization).toBeCloseTo(150 / 2400);
    const dayOff = analyticsOfHistory({
      history,
      range,
      now,
      timeZone: NY,
      doctorIds: [DOCTOR],
      schedules: new Map([[DOCTOR, { ...weekdays, daysOff: new Set(['2027-06-08', '2027-06-10']) }]]),
    });
    expect(dayOff.utilization).toBeCloseTo(150 / 1440);
    expect(dayOff.byDoctor).toEqual([{ doctorId: DOCTOR, appointments: 6, noShowRate: 1 / 3, utilization: 150 / 1440 }]);
  });

  it('shares confirmations among booked appointments, counting only those given before the start', () => {
    // Booked: completed (confirmed the day before), no-show (confirmed after its start), walk-in, Friday (confirmed).
    expect(figures.confirmedShare).toBeCloseTo(2 / 4);
  });

  it('answers null, not 0, for a rate without a denominator, and lists every day and doctor even when empty', () => {
    const empty = analyticsOfHistory({
      history: [],
      range,
      now,
      timeZone: NY,
      doctorIds: [DOCTOR, OTHER_DOCTOR],
      schedules: new Map([[DOCTOR, weekdays]]),
    });
    expect(empty).toMatchObject({
      appointments: 0,
      noShowRate: null,
      lateCancellationRate: null,
      utilization: 0,
      medianLeadTimeDays: null,
      newPatientShare: null,
      selfBookedShare: null,
      confirmedShare: null,
      medianCycleMinutes: null,
    });
    expect(empty.byDay).toHaveLength(7);
    expect(empty.byDoctor.map((doctor) => [doctor.doctorId, doctor.utilization])).toEqual([
      [DOCTOR, 0],
      [OTHER_DOCTOR, null],
    ]);
  });
});

describe('single definitions', () => {
  it('a cancellation after the start is late; one without a recorded time is not', () => {
    const startsAt = at('2027-06-07T13:00Z');
    expect(isLateCancellation({ status: AppointmentStatus.CANCELLED, cancelledAt: at('2027-06-07T13:05Z'), startsAt })).toBe(true);
    expect(isLateCancellation({ status: AppointmentStatus.CANCELLED, cancelledAt: null, startsAt })).toBe(false);
    expect(isLateCancellation({ status: AppointmentStatus.CANCELLED, cancelledAt: at('2027-06-06T13:00Z'), startsAt })).toBe(false);
  });

  it("a patient's first booking is the earliest created, cancelled or not", () => {
    const first = visit('2027-06-20T13:00Z', { patientId: 'x', createdAt: at('2027-06-01T00:00Z'), status: AppointmentStatus.CANCELLED });
    const second = visit('2027-06-10T13:00Z', { patientId: 'x', createdAt: at('2027-06-02T00:00Z') });
    expect([...firstBookingIds([second, first])]).toEqual([first.id]);
  });

  it('working minutes follow the wall clock across the change (09:00-17:00 is 8 hours on both sides)', () => {
    // Monday 8 to Friday 12 March (EST) and Monday 15 to Friday 19 March (EDT): 10 days of 480 minutes.
    expect(workingMinutes(weekdays, { start: at('2027-03-08T05:00Z'), end: at('2027-03-20T04:00Z') })).toBe(4800);
    expect(workingMinutes({ ...weekdays, intervals: [] }, { start: at('2027-03-08T05:00Z'), end: at('2027-03-20T04:00Z') })).toBe(0);
  });

  it('third next available: the third free start from now, in days; null with fewer than three', () => {
    const now = at('2027-06-07T12:00Z');
    const slots = [at('2027-06-09T12:00Z'), at('2027-06-07T18:00Z'), at('2027-06-08T12:00Z')];
    expect(thirdNextAvailableDays(slots, now)).toBe(2);
    expect(thirdNextAvailableDays(slots.slice(0, 2), now)).toBeNull();
  });

  it('a lead time falls in the bucket that starts at or before it; a booking after its start in the first', () => {
    expect([-0.5, 0, 0.99, 1, 3.99, 4, 14.5, 15, 30.99, 31, 400].map(leadTimeBucketOf)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 5, 6, 6]);
  });

  it('medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('the CSV export', () => {
  it('has the header row, one CRLF-ended line per day, and nothing to quote', () => {
    expect(
      daysToCsv([
        { date: '2027-03-14', appointments: 3, completed: 1, cancelled: 1, noShows: 1 },
        { date: '2027-03-15', appointments: 0, completed: 0, cancelled: 0, noShows: 0 },
      ]),
    ).toBe('date,appointments,completed,cancelled,noShows\r\n2027-03-14,3,1,1,1\r\n2027-03-15,0,0,0,0\r\n');
  });
});
