import { describe, expect, it } from 'vitest';
import { addDays, localDate, mondayOf, weekFrom } from './week-days';

describe("the doctor's week in the doctor's zone", () => {
  it('starts a week on the Monday on or before a date', () => {
    expect(mondayOf('2030-01-10')).toBe('2030-01-07'); // a Thursday
    expect(mondayOf('2030-01-07')).toBe('2030-01-07');
    expect(mondayOf('2030-01-13')).toBe('2030-01-07'); // a Sunday
    expect(addDays('2030-12-29', 7)).toBe('2031-01-05');
  });

  it("reads today's date in the doctor's zone, not the browser's", () => {
    const lateUtc = new Date('2030-01-10T23:30:00Z');
    expect(localDate(lateUtc, 'Europe/Paris')).toBe('2030-01-11');
    expect(localDate(lateUtc, 'America/New_York')).toBe('2030-01-10');
  });

  it('gives each day its own bounds, 23 hours long on the spring change in Paris', () => {
    const week = weekFrom('2030-03-25', 'Europe/Paris'); // the change is on Sunday 31 March 2030
    expect(week.map((day) => day.date)).toEqual([
      '2030-03-25',
      '2030-03-26',
      '2030-03-27',
      '2030-03-28',
      '2030-03-29',
      '2030-03-30',
      '2030-03-31',
    ]);
    expect(week[0]?.from.toISOString()).toBe('2030-03-24T23:00:00.000Z');
    expect(week[6]!.to.getTime() - week[6]!.from.getTime()).toBe(23 * 3_600_000);
    expect(week[6]?.to.toISOString()).toBe('2030-03-31T22:00:00.000Z');
  });
});
