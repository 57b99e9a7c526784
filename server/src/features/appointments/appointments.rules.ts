import { createHash } from 'node:crypto';
import { badUserInput } from '../../platform/errors';
import { optionalText } from '../../platform/validation';
import { DEFAULT_DURATION_MINUTES, MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '../availability/availability.rules';

export const MAX_REASON_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** How far ahead a booking may be made; beyond it a date is almost certainly a typo. */
export const MAX_DAYS_AHEAD = 730;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface BookingRequest {
  readonly startsAt: Date;
  readonly durationMinutes?: number | null;
  readonly reason?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface ValidBooking {
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
}

/** Checks the time, length and texts of a booking against `now`; BAD_USER_INPUT names the field. */
export function validateBooking(request: BookingRequest, now: Date): ValidBooking {
  const { startsAt } = request;
  if (Number.isNaN(startsAt.getTime())) throw badUserInput('startsAt is not a valid date.', 'startsAt');
  if (startsAt.getTime() <= now.getTime()) throw badUserInput('startsAt must be in the future.', 'startsAt');
  if (startsAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * DAY_MS) {
    throw badUserInput(`startsAt must be within ${MAX_DAYS_AHEAD} days from now.`, 'startsAt');
  }
  const duration = request.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  if (!Number.isInteger(duration) || duration < MIN_DURATION_MINUTES || duration > MAX_DURATION_MINUTES) {
    throw badUserInput(
      `durationMinutes must be a whole number from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}.`,
      'durationMinutes',
    );
  }
  const idempotencyKey = optionalText(request.idempotencyKey, 'idempotencyKey', MAX_IDEMPOTENCY_KEY_LENGTH);
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + duration * MINUTE_MS),
    reason: optionalText(request.reason, 'reason', MAX_REASON_LENGTH),
    idempotencyKey,
  };
}

/** Identifies a booking's input, so a reused idempotency key with other input is recognised. */
export function bookingFingerprint(doctorId: string, booking: ValidBooking): string {
  const parts = [doctorId, booking.startsAt.toISOString(), booking.endsAt.toISOString(), booking.reason ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
