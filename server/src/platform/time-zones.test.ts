import { addDays, isoWeekday, localDateOf, parseLocalDate, wallTimeToUtc, zoneOffsetMs } from './time-zones';

const HOUR = 3_600_000;

describe('wall-clock times in IANA zones', () => {
  it('gives Paris +1 h in winter and +2 h in summer', () => {
    expect(zoneOffsetMs(Date.parse('2027-01-15T12:00:00Z'), 'Europe/Paris')).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2027-07-15T12:00:00Z'), 'Europe/Paris')).toBe(2 * HOUR);
  });

  it('turns 09:00 in Paris into 08:00 UTC the day before spring-forward and 07:00 UTC on and after it', () => {
    expect(wallTimeToUtc({ year: 2027, month: 3, day: 27 }, 9 * 60, 'Europe/Paris').toISOString()).toBe('2027-03-27T08:00:00.000Z');
    expect(wallTimeToUtc({ year: 2027, month: 3, day: 28 }, 9 * 60, 'Europe/Paris').toISOString()).toBe('2027-03-28T07:00:00.000Z');
    expect(wallTimeToUtc({ year: 2027, month: 3, day: 29 }, 9 * 60, 'Europe/Paris').toISOString()).toBe('2027-03-29T07:00:00.000Z');
  });

  it('resolves a skipped time forward and a repeated time to its first occurrence', () => {
    // 02:30 does not exist in Paris on 2027-03-28: it is read as 03:30 CEST.
    expect(wallTimeToUtc({ year: 2027, month: 3, day: 28 }, 150, 'Europe/Paris').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 02:30 happens twice on 2027-10-31: the first time is still CEST.
    expect(wallTimeToUtc({ year: 2027, month: 10, day: 31 }, 150, 'Europe/Paris').toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  it('reads the local date and ISO weekday of an instant', () => {
    const lateSaturdayInNewYork = new Date('2027-03-28T02:00:00Z');
    expect(localDateOf(lateSaturdayInNewYork, 'America/New_York')).toEqual({ year: 2027, month: 3, day: 27 });
    expect(isoWeekday({ year: 2027, month: 3, day: 28 })).toBe(7);
    expect(isoWeekday(addDays({ year: 2027, month: 3, day: 28 }, 1))).toBe(1);
  });

  it('parses only real calendar dates', () => {
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2027-02-29')).toBeUndefined();
    expect(parseLocalDate('27-3-1')).toBeUndefined();
  });
});

describe('offsets kept by 15-minute stretch', () => {
  /** The zone's offset read straight from Intl, as the reference. */
  const intlOffset = (utcMs: number, timeZone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(new Date(utcMs))
        .filter((part) => part.type !== 'literal')
        .map((part) => [part.type, Number(part.value)]),
    );
    const second = Math.floor(utcMs / 1000) * 1000;
    return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!) - second;
  };

  it.each([
    // Paris springs forward at 01:00 UTC; St John's (UTC-3:30) at 05:30 UTC; Lord Howe moves half an hour.
    ['Europe/Paris', '2027-03-28T01:00:00Z'],
    ['America/St_Johns', '2027-03-14T05:30:00Z'],
    ['Australia/Lord_Howe', '2027-04-03T15:00:00Z'],
    // Monrovia left -0:44:30 at 00:44:30 UTC: a change inside a stretch, read exactly.
    ['Africa/Monrovia', '1972-01-07T00:44:30Z'],
  ])('answers %s exactly every minute around its change at %s, asked twice', (timeZone, change) => {
    const at = new Date(change).getTime();
    for (let pass = 0; pass < 2; pass += 1) {
      for (let t = at - 2 * 3_600_000; t <= at + 2 * 3_600_000; t += 30_000 + 7_000) {
        expect(zoneOffsetMs(t, timeZone)).toBe(intlOffset(t, timeZone));
      }
    }
  });
});
