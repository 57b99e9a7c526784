import { describe, expect, it } from 'vitest';
import { nextDateOfWeekday, zonedInstant } from './zoned-time';

describe('wall times of another zone', () => {
  it('finds the instant of a wall time in a zone, on either side of a daylight-saving change', () => {
    expect(zonedInstant('2030-01-14', '09:00', 'Europe/London').toISOString()).toBe('2030-01-14T09:00:00.000Z');
    expect(zonedInstant('2030-07-15', '09:00', 'Europe/London').toISOString()).toBe('2030-07-15T08:00:00.000Z');
    expect(zonedInstant('2030-07-15', '09:00', 'America/New_York').toISOString()).toBe('2030-07-15T13:00:00.000Z');
    expect(zonedInstant('2030-01-14', '24:00', 'Etc/UTC').toISOString()).toBe('2030-01-15T00:00:00.000Z');
  });

  it('finds the next date of a weekday in a zone', () => {
    const monday = new Date('2030-01-14T12:00:00.000Z');
    expect(nextDateOfWeekday(1, 'Etc/UTC', monday)).toBe('2030-01-14');
    expect(nextDateOfWeekday(3, 'Etc/UTC', monday)).toBe('2030-01-16');
    expect(nextDateOfWeekday(7, 'Pacific/Kiritimati', monday)).toBe('2030-01-20');
  });
});
