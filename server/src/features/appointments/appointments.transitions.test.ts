import type { AppointmentAction } from './appointments.policy';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { errorOf } from '../../../test/helpers/errors';
import { assertTransition, OUTCOME, transitionError, type AppointmentState } from './appointments.transitions';

const now = new Date('2027-01-10T12:00:00Z');
const UTC = 'UTC';
const future = { startsAt: new Date('2027-01-11T09:00:00Z'), timeZone: UTC, checkedInAt: null };
const laterToday = { startsAt: new Date('2027-01-10T15:00:00Z'), timeZone: UTC, checkedInAt: null };
const started = { startsAt: new Date('2027-01-10T11:45:00Z'), timeZone: UTC, checkedInAt: null };
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const ACTIONS: readonly AppointmentAction[] = ['cancel', 'reschedule', 'complete', 'checkIn', 'undoCheckIn', 'noShow'];
const at = (status: AppointmentStatus, timing: Omit<AppointmentState, 'status'>): AppointmentState => ({ status, ...timing });

describe('the appointment transition table', () => {
  it.each<[AppointmentAction, Omit<AppointmentState, 'status'>, boolean]>([
    ['cancel', future, true],
    ['cancel', started, true],
    ['reschedule', future, true],
    ['reschedule', started, false],
    ['complete', future, false],
    ['complete', started, true],
    ['checkIn', laterToday, true],
    ['checkIn', started, true],
    ['checkIn', future, false],
    ['noShow', laterToday, false],
    ['noShow', started, true],
    ['undoCheckIn', started, false],
  ])('on a BOOKED appointment, %s is allowed=%s depending on its time', (action, timing, allowed) => {
    expect(transitionError(action, at(AppointmentStatus.BOOKED, timing), now) === null).toBe(allowed);
  });

  it.each<[AppointmentAction, Omit<AppointmentState, 'status'>, boolean]>([
    ['cancel', started, true],
    ['reschedule', laterToday, false],
    ['complete', started, true],
    ['complete', laterToday, false],
    ['checkIn', started, false],
    ['noShow', started, false],
  ])('on a CHECKED_IN appointment, %s is allowed=%s', (action, timing, allowed) => {
    expect(transitionError(action, at(AppointmentStatus.CHECKED_IN, timing), now) === null).toBe(allowed);
  });

  it('undoes a check-in within 5 minutes of it (by the given clock) and refuses it after, naming the window', () => {
    const checkedIn = (minutes: number) => at(AppointmentStatus.CHECKED_IN, { ...started, checkedInAt: minutesAgo(minutes) });
    expect(transitionError('undoCheckIn', checkedIn(0), now)).toBeNull();
    expect(transitionError('undoCheckIn', checkedIn(5), now)).toBeNull();
    expect(transitionError('undoCheckIn', checkedIn(5.01), now)).toMatch(/within 5 minutes/);
    expect(transitionError('undoCheckIn', at(AppointmentStatus.CHECKED_IN, started), now)).toMatch(/within 5 minutes/);
    expect(errorOf(() => assertTransition('undoCheckIn', checkedIn(6), now))).toEqual(['BAD_USER_INPUT', 'id']);
    expect(OUTCOME.undoCheckIn).toEqual({ status: 'BOOKED', change: 'CHECK_IN_UNDONE' });
  });

  it("checks in on the appointment's local day in the practice's zone, not in UTC", () => {
    // 2027-01-10T23:30Z is already the 11th in Paris; now (12:00Z) is the 10th in both zones.
    const lateEvening = new Date('2027-01-10T23:30:00Z');
    expect(
      transitionError('checkIn', { status: AppointmentStatus.BOOKED, startsAt: lateEvening, timeZone: 'UTC', checkedInAt: null }, now),
    ).toBeNull();
    expect(
      transitionError(
        'checkIn',
        { status: AppointmentStatus.BOOKED, startsAt: lateEvening, timeZone: 'Europe/Paris', checkedInAt: null },
        now,
      ),
    ).toMatch(/on the day/);
  });

  it.each<[AppointmentStatus, AppointmentAction, RegExp]>([
    [AppointmentStatus.CANCELLED, 'cancel', /already cancelled/],
    [AppointmentStatus.CANCELLED, 'reschedule', /cancelled appointment cannot be rescheduled/],
    [AppointmentStatus.CANCELLED, 'complete', /cancelled appointment cannot be completed/],
    [AppointmentStatus.CANCELLED, 'checkIn', /cancelled appointment cannot be checked in/],
    [AppointmentStatus.CANCELLED, 'noShow', /cancelled appointment cannot be a no-show/],
    [AppointmentStatus.COMPLETED, 'cancel', /completed visit cannot be cancelled/],
    [AppointmentStatus.COMPLETED, 'reschedule', /completed visit cannot be rescheduled/],
    [AppointmentStatus.COMPLETED, 'complete', /already completed/],
    [AppointmentStatus.COMPLETED, 'checkIn', /completed visit cannot be checked in/],
    [AppointmentStatus.COMPLETED, 'noShow', /completed visit cannot be a no-show/],
    [AppointmentStatus.NO_SHOW, 'cancel', /no-show cannot be cancelled/],
    [AppointmentStatus.NO_SHOW, 'reschedule', /no-show cannot be rescheduled/],
    [AppointmentStatus.NO_SHOW, 'complete', /no-show cannot be completed/],
    [AppointmentStatus.NO_SHOW, 'checkIn', /marked as a no-show/],
    [AppointmentStatus.NO_SHOW, 'noShow', /already marked as a no-show/],
    [AppointmentStatus.COMPLETED, 'undoCheckIn', /can no longer be undone/],
    [AppointmentStatus.NO_SHOW, 'undoCheckIn', /no check-in to undo/],
  ])('refuses every action on a %s appointment (%s) with the reason', (status, action, reason) => {
    for (const timing of [future, laterToday, started]) {
      expect(transitionError(action, at(status, timing), now)).toMatch(reason);
    }
  });

  it('has a rule for every status and action', () => {
    for (const status of Object.values(AppointmentStatus)) {
      for (const action of ACTIONS) expect(() => transitionError(action, at(status, started), now)).not.toThrow();
    }
  });

  it('raises BAD_USER_INPUT for an illegal transition and nothing for a legal one', () => {
    expect(errorOf(() => assertTransition('reschedule', at(AppointmentStatus.CANCELLED, future), now))).toEqual(['BAD_USER_INPUT', 'id']);
    expect(errorOf(() => assertTransition('complete', at(AppointmentStatus.BOOKED, future), now))).toEqual(['BAD_USER_INPUT', 'id']);
    expect(errorOf(() => assertTransition('cancel', at(AppointmentStatus.BOOKED, future), now))).toBeUndefined();
  });

  it('leads each action to its status and change', () => {
    expect(OUTCOME.cancel).toEqual({ status: 'CANCELLED', change: 'CANCELLED' });
    expect(OUTCOME.reschedule).toEqual({ status: 'BOOKED', change: 'RESCHEDULED' });
    expect(OUTCOME.complete).toEqual({ status: 'COMPLETED', change: 'COMPLETED' });
    expect(OUTCOME.checkIn).toEqual({ status: 'CHECKED_IN', change: 'CHECKED_IN' });
    expect(OUTCOME.noShow).toEqual({ status: 'NO_SHOW', change: 'NO_SHOW' });
  });
});
