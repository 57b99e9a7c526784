import { ErrorCode } from '../../platform/errors';
import { DEFAULT_DURATION_MINUTES } from '../availability/availability.rules';
import { bookingFingerprint, validateBooking } from './appointments.rules';

const NOW = new Date('2026-06-01T12:00:00Z');
const inOneHour = new Date('2026-06-01T13:00:00Z');

function failure(fn: () => unknown): { code: unknown; field: unknown } {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    return { code: extensions['code'], field: extensions['field'] };
  }
  throw new Error('expected a failure');
}

describe('validateBooking', () => {
  it('defaults to a 30-minute appointment and trims the reason', () => {
    const booking = validateBooking({ startsAt: inOneHour, reason: '  Follow-up  ' }, NOW);
    expect(booking.endsAt.getTime() - booking.startsAt.getTime()).toBe(DEFAULT_DURATION_MINUTES * 60_000);
    expect(booking.reason).toBe('Follow-up');
  });

  it('stores a blank reason and key as absent', () => {
    expect(validateBooking({ startsAt: inOneHour, reason: '   ', idempotencyKey: '' }, NOW)).toMatchObject({
      reason: null,
      idempotencyKey: null,
    });
  });

  it.each([
    ['a start in the past', { startsAt: new Date('2026-06-01T11:59:00Z') }, 'startsAt'],
    ['a start right now', { startsAt: NOW }, 'startsAt'],
    ['a start more than two years ahead', { startsAt: new Date('2029-01-01T00:00:00Z') }, 'startsAt'],
    ['an invalid date', { startsAt: new Date('nope') }, 'startsAt'],
    ['4 minutes', { startsAt: inOneHour, durationMinutes: 4 }, 'durationMinutes'],
    ['241 minutes', { startsAt: inOneHour, durationMinutes: 241 }, 'durationMinutes'],
    ['a negative duration', { startsAt: inOneHour, durationMinutes: -30 }, 'durationMinutes'],
    ['a fractional duration', { startsAt: inOneHour, durationMinutes: 30.5 }, 'durationMinutes'],
    ['a 501-character reason', { startsAt: inOneHour, reason: 'x'.repeat(501) }, 'reason'],
    ['a 201-character idempotency key', { startsAt: inOneHour, idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey'],
  ])('rejects %s with BAD_USER_INPUT on that field', (_name, request, field) => {
    expect(failure(() => validateBooking(request, NOW))).toEqual({ code: ErrorCode.BadUserInput, field });
  });

  it('accepts the duration bounds 5 and 240', () => {
    expect(() => validateBooking({ startsAt: inOneHour, durationMinutes: 5 }, NOW)).not.toThrow();
    expect(() => validateBooking({ startsAt: inOneHour, durationMinutes: 240 }, NOW)).not.toThrow();
  });
});

describe('bookingFingerprint', () => {
  const doctorId = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
  it('is the same for the same input and differs when any part differs', () => {
    const base = validateBooking({ startsAt: inOneHour, reason: 'a' }, NOW);
    expect(bookingFingerprint(doctorId, base)).toBe(
      bookingFingerprint(doctorId, validateBooking({ startsAt: inOneHour, reason: 'a' }, NOW)),
    );
    expect(bookingFingerprint(doctorId, base)).not.toBe(
      bookingFingerprint(doctorId, validateBooking({ startsAt: inOneHour, reason: 'b' }, NOW)),
    );
    expect(bookingFingerprint(doctorId, base)).not.toBe(
      bookingFingerprint(doctorId, validateBooking({ startsAt: inOneHour, reason: 'a', durationMinutes: 45 }, NOW)),
    );
    expect(bookingFingerprint(doctorId, base)).not.toBe(bookingFingerprint('00000000-0000-0000-0000-000000000000', base));
  });
});
