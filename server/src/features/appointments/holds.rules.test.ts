import { ErrorCode } from '../../platform/errors';
import { checkHoldForBooking, holdExpiry, type HoldState } from './holds.rules';

const NOW = new Date('2030-01-07T09:00:00.000Z');
const HOLD: HoldState = {
  id: '00000000-0000-4000-8000-000000000001',
  doctorId: '00000000-0000-4000-8000-0000000000d1',
  patientId: '00000000-0000-4000-8000-0000000000a1',
  startsAt: new Date('2030-01-08T10:00:00.000Z'),
  endsAt: new Date('2030-01-08T10:30:00.000Z'),
  expiresAt: new Date('2030-01-07T09:05:00.000Z'),
};
const BOOKING = { doctorId: HOLD.doctorId, patientId: HOLD.patientId, startsAt: HOLD.startsAt, endsAt: null };

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions?.['code'];
  }
  return undefined;
}

describe('holds', () => {
  it('expire HOLD_TTL after they are made', () => {
    expect(holdExpiry(NOW, 300_000)).toEqual(new Date('2030-01-07T09:05:00.000Z'));
  });

  it("accept a booking of the hold's own doctor and time by its patient, with or without the same length", () => {
    expect(checkHoldForBooking(HOLD, BOOKING, NOW)).toBe(HOLD);
    expect(checkHoldForBooking(HOLD, { ...BOOKING, endsAt: HOLD.endsAt }, NOW)).toBe(HOLD);
  });

  it("answer NOT_FOUND for no hold and for another patient's hold alike", () => {
    expect(codeOf(() => checkHoldForBooking(null, BOOKING, NOW))).toBe(ErrorCode.NotFound);
    expect(codeOf(() => checkHoldForBooking(HOLD, { ...BOOKING, patientId: HOLD.doctorId }, NOW))).toBe(ErrorCode.NotFound);
  });

  it('answer HOLD_EXPIRED from the instant of expiry on', () => {
    expect(codeOf(() => checkHoldForBooking(HOLD, BOOKING, HOLD.expiresAt))).toBe(ErrorCode.HoldExpired);
    expect(codeOf(() => checkHoldForBooking(HOLD, BOOKING, new Date(HOLD.expiresAt.getTime() - 1)))).toBeUndefined();
  });

  it('refuse another doctor, start or length than the hold with BAD_USER_INPUT', () => {
    const later = new Date(HOLD.startsAt.getTime() + 60_000);
    expect(codeOf(() => checkHoldForBooking(HOLD, { ...BOOKING, doctorId: HOLD.patientId }, NOW))).toBe(ErrorCode.BadUserInput);
    expect(codeOf(() => checkHoldForBooking(HOLD, { ...BOOKING, startsAt: later }, NOW))).toBe(ErrorCode.BadUserInput);
    expect(codeOf(() => checkHoldForBooking(HOLD, { ...BOOKING, endsAt: later }, NOW))).toBe(ErrorCode.BadUserInput);
  });
});
