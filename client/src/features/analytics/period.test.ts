import { describe, expect, it } from 'vitest';
import { addDays, dateIn, PERIODS, periodRange } from './period';

const choice = (key: string) => PERIODS.find((period) => period.key === key)!;

describe('analytics periods', () => {
  it('ends the last 7 days at the practice’s next midnight, today included', () => {
    // 23:30 in New York on 10 March 2027 is already the 11th in UTC.
    const now = new Date('2027-03-11T04:30:00Z');
    expect(dateIn(now, 'America/New_York')).toBe('2027-03-10');
    expect(periodRange(choice('7'), 'America/New_York', now)).toEqual({
      from: '2027-03-04T05:00:00.000Z',
      to: '2027-03-11T05:00:00.000Z',
    });
  });

  it('puts both ends on local midnights across a daylight-saving change', () => {
    // New York springs forward on 14 March 2027: midnight moves from 05:00 to 04:00 UTC.
    const now = new Date('2027-03-20T15:00:00Z');
    expect(periodRange(choice('31'), 'America/New_York', now)).toEqual({
      from: '2027-02-18T05:00:00.000Z',
      to: '2027-03-21T04:00:00.000Z',
    });
  });

  it('starts the days ahead at tomorrow’s midnight', () => {
    const now = new Date('2027-01-31T12:00:00Z');
    expect(periodRange(choice('next31'), 'Europe/London', now)).toEqual({
      from: '2027-02-01T00:00:00.000Z',
      to: '2027-03-04T00:00:00.000Z',
    });
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});
