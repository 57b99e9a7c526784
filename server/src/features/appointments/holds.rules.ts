import { badUserInput, holdExpired, notFound } from '../../platform/errors';

/** A hold as the rules see it: whose, with whom, when, and until when. */
export interface HoldState {
  readonly id: string;
  readonly doctorId: string;
  readonly patientId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly expiresAt: Date;
}

/** What a booking with a hold asks for (after the booking's own checks). */
export interface BookingOfHold {
  readonly doctorId: string;
  /** Whom the booking is for (the patient, or the patient staff book for). */
  readonly patientId: string;
  readonly startsAt: Date;
  /** The end the booking's input gives, or null when it gave no durationMinutes (the hold's length then). */
  readonly endsAt: Date | null;
}

/**
 * Expired holds stay in the table this long before the background sweep deletes them, so booking
 * with one answers HOLD_EXPIRED rather than NOT_FOUND. They block nothing meanwhile: every
 * statement that takes a time deletes the expired holds in its way first, and free slots ignore them.
 */
export const SWEEP_AFTER_EXPIRY_MS = 60 * 60_000;

/** When a hold made at `now` expires (HOLD_TTL later). */
export function holdExpiry(now: Date, ttlMs: number): Date {
  return new Date(now.getTime() + ttlMs);
}

/**
 * The hold a booking converts, checked against the booking: none, or another patient's, is
 * NOT_FOUND (whether it exists is not the caller's to learn); expired at `now` is HOLD_EXPIRED;
 * another doctor, start or length than the hold's is BAD_USER_INPUT on holdId. Returns the hold.
 */
export function checkHoldForBooking(hold: HoldState | null, booking: BookingOfHold, now: Date): HoldState {
  if (hold === null || hold.patientId !== booking.patientId) throw notFound('Hold');
  if (hold.expiresAt.getTime() <= now.getTime()) throw holdExpired(hold.expiresAt);
  const sameTime =
    hold.doctorId === booking.doctorId &&
    hold.startsAt.getTime() === booking.startsAt.getTime() &&
    (booking.endsAt === null || hold.endsAt.getTime() === booking.endsAt.getTime());
  if (!sameTime) {
    throw badUserInput(
      `This hold is for doctorId ${hold.doctorId} from ${hold.startsAt.toISOString()} to ${hold.endsAt.toISOString()}: book that, or leave out holdId.`,
      'holdId',
    );
  }
  return hold;
}
