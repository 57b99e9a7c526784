import fc from 'fast-check';
import { errorOf } from '../../../test/helpers/errors';
import {
  freeSlots,
  isWithinWorkingHours,
  validateDayOff,
  validateSlotQuery,
  validateWeeklyHours,
  workingWindows,
  type Schedule,
} from './availability.rules';

const nineToFive = (weekdays: number[]) =>
  validateWeeklyHours(weekdays.map((weekday) => ({ weekday, startTime: '09:00', endTime: '17:00' })));
const paris = (weekdays: number[], daysOff: string[] = []): Schedule => ({
  timeZone: 'Europe/Paris',
  intervals: nineToFive(weekdays),
  daysOff: new Set(daysOff),
});
const longAgo = new Date('2020-01-01T00:00:00Z');
const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('weekly working hours', () => {
  it('accepts split shifts and sorts them', () => {
    const hours = validateWeeklyHours([
      { weekday: 2, startTime: '14:00', endTime: '18:00' },
      { weekday: 2, startTime: '08:30', endTime: '12:00' },
      { weekday: 7, startTime: '20:00', endTime: '24:00' },
    ]);
    expect(hours).toEqual([
      { weekday: 2, startMinute: 510, endMinute: 720 },
      { weekday: 2, startMinute: 840, endMinute: 1080 },
      { weekday: 7, startMinute: 1200, endMinute: 1440 },
    ]);
  });

  it.each([
    [{ weekday: 0, startTime: '09:00', endTime: '17:00' }, 'weekday'],
    [{ weekday: 8, startTime: '09:00', endTime: '17:00' }, 'weekday'],
    [{ weekday: 1, startTime: '9am', endTime: '17:00' }, 'startTime'],
    [{ weekday: 1, startTime: '09:00', endTime: '24:30' }, 'endTime'],
    [{ weekday: 1, startTime: '17:00', endTime: '09:00' }, 'endTime'],
  ])('refuses %o with BAD_USER_INPUT on %s', (entry, field) => {
    expect(errorOf(() => validateWeeklyHours([entry]))).toEqual(['BAD_USER_INPUT', field]);
  });

  it('refuses overlapping intervals on one day', () => {
    const overlapping = [
      { weekday: 3, startTime: '09:00', endTime: '13:00' },
      { weekday: 3, startTime: '12:00', endTime: '17:00' },
    ];
    expect(errorOf(() => validateWeeklyHours(overlapping))).toEqual(['BAD_USER_INPUT', 'hours']);
  });

  it('accepts only real dates as days off', () => {
    expect(validateDayOff('2027-12-24')).toEqual({ year: 2027, month: 12, day: 24 });
    expect(errorOf(() => validateDayOff('2027-13-01'))).toEqual(['BAD_USER_INPUT', 'date']);
  });
});

describe('working windows across a daylight-saving change', () => {
  it('keeps 09:00-17:00 Paris time through the week of the March change (UTC moves an hour earlier)', () => {
    const windows = workingWindows(paris([1, 2, 3, 4, 5, 6, 7]), range('2027-03-25T00:00:00Z', '2027-03-31T00:00:00Z'));
    expect(windows.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2027-03-25T08:00:00.000Z', '2027-03-25T16:00:00.000Z'],
      ['2027-03-26T08:00:00.000Z', '2027-03-26T16:00:00.000Z'],
      ['2027-03-27T08:00:00.000Z', '2027-03-27T16:00:00.000Z'],
      ['2027-03-28T07:00:00.000Z', '2027-03-28T15:00:00.000Z'],
      ['2027-03-29T07:00:00.000Z', '2027-03-29T15:00:00.000Z'],
      ['2027-03-30T07:00:00.000Z', '2027-03-30T15:00:00.000Z'],
    ]);
  });

  it('keeps 09:00 Paris time through the week of the October change (UTC moves an hour later)', () => {
    const windows = workingWindows(paris([1, 2, 3, 4, 5, 6, 7]), range('2027-10-30T00:00:00Z', '2027-11-02T00:00:00Z'));
    expect(windows.map((w) => w.start.toISOString())).toEqual([
      '2027-10-30T07:00:00.000Z',
      '2027-10-31T08:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
    ]);
  });

  it('skips weekdays without hours and days off', () => {
    const windows = workingWindows(paris([1, 2, 3, 4, 5], ['2027-03-30']), range('2027-03-26T00:00:00Z', '2027-04-01T00:00:00Z'));
    expect(windows.map((w) => w.start.toISOString().slice(0, 10))).toEqual(['2027-03-26', '2027-03-29', '2027-03-31']);
  });
});

describe('whether an appointment is within working hours', () => {
  const schedule = paris([1, 2, 3, 4, 5], ['2027-04-02']);

  it('accepts an appointment inside the hours, up to the closing minute', () => {
    expect(isWithinWorkingHours(schedule, range('2027-03-29T07:00:00Z', '2027-03-29T07:30:00Z'))).toBe(true);
    expect(isWithinWorkingHours(schedule, range('2027-03-29T14:30:00Z', '2027-03-29T15:00:00Z'))).toBe(true);
  });

  it('refuses one that starts before opening, runs past closing, falls on a weekend or a day off', () => {
    // 08:00 Paris on the Monday after the change is 06:00 UTC: an hour before opening.
    expect(isWithinWorkingHours(schedule, range('2027-03-29T06:00:00Z', '2027-03-29T06:30:00Z'))).toBe(false);
    expect(isWithinWorkingHours(schedule, range('2027-03-29T14:45:00Z', '2027-03-29T15:15:00Z'))).toBe(false);
    expect(isWithinWorkingHours(schedule, range('2027-03-27T09:00:00Z', '2027-03-27T09:30:00Z'))).toBe(false);
    expect(isWithinWorkingHours(schedule, range('2027-04-02T09:00:00Z', '2027-04-02T09:30:00Z'))).toBe(false);
  });

  it('accepts any time for a doctor who never set hours', () => {
    const anyTime: Schedule = { timeZone: 'Europe/Paris', intervals: [], daysOff: new Set() };
    expect(isWithinWorkingHours(anyTime, range('2027-03-28T01:00:00Z', '2027-03-28T05:00:00Z'))).toBe(true);
  });

  it('lets an appointment span two intervals that meet at midnight', () => {
    const nights: Schedule = {
      timeZone: 'UTC',
      intervals: validateWeeklyHours([
        { weekday: 1, startTime: '22:00', endTime: '24:00' },
        { weekday: 2, startTime: '00:00', endTime: '02:00' },
      ]),
      daysOff: new Set(),
    };
    expect(isWithinWorkingHours(nights, range('2027-03-29T23:30:00Z', '2027-03-30T00:30:00Z'))).toBe(true);
  });
});

describe('free slots', () => {
  const schedule = paris([1]);

  it('cuts the working day into back-to-back slots and leaves out busy ones', () => {
    const slots = freeSlots(
      schedule,
      { from: new Date('2027-03-29T00:00:00Z'), to: new Date('2027-03-30T00:00:00Z'), durationMinutes: 60 },
      [range('2027-03-29T08:30:00Z', '2027-03-29T09:00:00Z')],
      longAgo,
    );
    expect(slots.map((slot) => slot.toISOString().slice(11, 16))).toEqual(['07:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00']);
  });

  it('leaves out slots that have started and slots starting outside [from, to)', () => {
    const slots = freeSlots(
      schedule,
      { from: new Date('2027-03-29T10:00:00Z'), to: new Date('2027-03-29T12:00:00Z'), durationMinutes: 60 },
      [],
      new Date('2027-03-29T10:00:00Z'),
    );
    expect(slots.map((slot) => slot.toISOString().slice(11, 16))).toEqual(['11:00']);
  });

  it('leaves out exactly the slots some busy range overlaps, however the ranges lie (against a plain scan)', () => {
    const day = new Date('2027-03-29T00:00:00Z').getTime();
    const query = { from: new Date(day), to: new Date(day + 86_400_000), durationMinutes: 20 };
    const all = freeSlots(schedule, query, [], longAgo);
    const minute = 60_000;
    const busyRange = fc
      .tuple(fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 1, max: 180 }))
      .map(([start, length]) => ({ start: new Date(day + start * minute), end: new Date(day + (start + length) * minute) }));
    fc.assert(
      fc.property(fc.array(busyRange, { maxLength: 30 }), (busy) => {
        const expected = all.filter(
          (slot) => !busy.some((range) => range.start.getTime() < slot.getTime() + 20 * minute && slot.getTime() < range.end.getTime()),
        );
        expect(freeSlots(schedule, query, busy, longAgo)).toEqual(expected);
      }),
    );
  });

  it.each([
    [{ from: new Date('2027-03-02'), to: new Date('2027-03-01'), durationMinutes: 30 }, 'to'],
    [{ from: new Date('2027-01-01'), to: new Date('2027-03-01'), durationMinutes: 30 }, 'to'],
    [{ from: new Date('2027-03-01'), to: new Date('2027-03-02'), durationMinutes: 4 }, 'durationMinutes'],
    [{ from: new Date('nope'), to: new Date('2027-03-02'), durationMinutes: 30 }, 'from'],
  ])('refuses the query %o with BAD_USER_INPUT on %s', (query, field) => {
    expect(errorOf(() => validateSlotQuery(query))).toEqual(['BAD_USER_INPUT', field]);
  });
});
