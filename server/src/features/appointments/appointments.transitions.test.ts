import type { AppointmentAction } from './appointments.policy';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { errorOf } from '../../../test/helpers/errors';
import { assertTransition, OUTCOME, transitionError } from './appointments.transitions';

const now = new Date('2027-01-10T12:00:00Z');
const future = { startsAt: new Date('2027-01-11T09:00:00Z') };
const started = { startsAt: new Date('2027-01-10T11:45:00Z') };


describe('the appointment transition table', () => {
  it.each<[AppointmentAction, { startsAt: Date }, boolean]>([
    ['cancel', future, true],
    ['cancel', started, true],
    ['reschedule', future, true],
    ['reschedule', started, false],
    ['complete', future, false],
    ['complete', started, true],
  ])('on a BOOKED appointment, %s is allowed=%s depending on whether it has started', (action, timing, allowed) => {
    const reason = transitionError(action, { status: AppointmentStatus.BOOKED, ...timing }, now);
    expect(reason === null).toBe(allowed);
  });

  it.each<[AppointmentStatus, AppointmentAction, RegExp]>([
    [AppointmentStatus.CANCELLED, 'cancel', /already cancelled/],
    [AppointmentStatus.CANCELLED, 'reschedule', /cancelled appointment cannot be rescheduled/],
    [AppointmentStatus.CANCELLED, 'complete', /cancelled appointment cannot be completed/],
    [AppointmentStatus.COMPLETED, 'cancel', /completed visit cannot be cancelled/],
    [AppointmentStatus.COMPLETED, 'reschedule', /completed visit cannot be rescheduled/],
    [AppointmentStatus.COMPLETED, 'complete', /already completed/],
  ])('refuses every action on a %s appointment (%s) with the reason', (status, action, reason) => {
    for (const timing of [future, started]) {
      expect(transitionError(action, { status, ...timing }, now)).toMatch(reason);
    }
  });

  it('raises BAD_USER_INPUT for an illegal transition and nothing for a legal one', () => {
    expect(errorOf(() => assertTransition('reschedule', { status: AppointmentStatus.CANCELLED, ...future }, now))).toEqual(['BAD_USER_INPUT', 'id']);
    expect(errorOf(() => assertTransition('complete', { status: AppointmentStatus.BOOKED, ...future }, now))).toEqual(['BAD_USER_INPUT', 'id']);
    expect(errorOf(() => assertTransition('cancel', { status: AppointmentStatus.BOOKED, ...future }, now))).toBeUndefined();
  });

  it('leads cancel to CANCELLED, reschedule back to BOOKED and complete to COMPLETED', () => {
    expect(OUTCOME.cancel).toEqual({ status: 'CANCELLED', change: 'CANCELLED' });
    expect(OUTCOME.reschedule).toEqual({ status: 'BOOKED', change: 'RESCHEDULED' });
    expect(OUTCOME.complete).toEqual({ status: 'COMPLETED', change: 'COMPLETED' });
  });
});
