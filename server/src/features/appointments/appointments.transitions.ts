import type { AppointmentAction } from './appointments.policy';
import { badUserInput } from '../../platform/errors';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { localDateOf } from '../../platform/time-zones';
import { AppointmentChange } from './appointments.events';

/** What the rules need to know about an appointment. */
export interface AppointmentState {
  readonly status: AppointmentStatus;
  readonly startsAt: Date;
  /** The practice's IANA zone: "the appointment's day" for a check-in is its local day there. */
  readonly timeZone: string;
  /** When it was checked in (null when it is not): the undo window runs from there. */
  readonly checkedInAt: Date | null;
}

/** How long after a check-in it can be undone (a wrong card clicked), in minutes. */
export const UNDO_CHECK_IN_MINUTES = 5;

/** null: allowed; a string: why not (shown to the user as BAD_USER_INPUT). */
type Rule = (appointment: AppointmentState, now: Date) => string | null;
const never =
  (reason: string): Rule =>
  () =>
    reason;
const allowed: Rule = () => null;

const sameLocalDay = (a: Date, b: Date, timeZone: string) => {
  const [x, y] = [localDateOf(a, timeZone), localDateOf(b, timeZone)];
  return x.year === y.year && x.month === y.month && x.day === y.day;
};

const onceStarted =
  (what: string): Rule =>
  (appointment, now) =>
    appointment.startsAt > now ? `This appointment has not started yet; ${what} once it has.` : null;

/**
 * The whole lifecycle in one table. BOOKED and CHECKED_IN are the states anything can leave
 * (CHECKED_IN back to BOOKED only by undoing the check-in within UNDO_CHECK_IN_MINUTES);
 * CANCELLED, COMPLETED and NO_SHOW are final (a visit is booked again as a new appointment, so
 * its history stays). BOOKED and CHECKED_IN hold the slot (the exclusion constraints), the others free it.
 */
const TRANSITIONS: Readonly<Record<AppointmentStatus, Readonly<Record<AppointmentAction, Rule>>>> = {
  [AppointmentStatus.BOOKED]: {
    cancel: allowed,
    reschedule: (appointment, now) =>
      appointment.startsAt <= now ? 'This appointment has already started, so it can no longer be rescheduled.' : null,
    complete: onceStarted('complete it'),
    checkIn: (appointment, now) =>
      sameLocalDay(appointment.startsAt, now, appointment.timeZone)
        ? null
        : 'A patient can only be checked in on the day of their appointment.',
    noShow: onceStarted('mark it as a no-show'),
    undoCheckIn: never('This patient is not checked in, so there is no check-in to undo.'),
    confirm: (appointment, now) =>
      appointment.startsAt <= now ? 'This appointment has already started; there is nothing to confirm.' : null,
  },
  [AppointmentStatus.CHECKED_IN]: {
    // The patient left the waiting room before being seen.
    cancel: allowed,
    reschedule: never('The patient is checked in: this appointment can no longer be rescheduled.'),
    complete: onceStarted('complete it'),
    checkIn: never('This patient is already checked in.'),
    undoCheckIn: (appointment, now) =>
      appointment.checkedInAt !== null && now.getTime() - appointment.checkedInAt.getTime() <= UNDO_CHECK_IN_MINUTES * 60_000
        ? null
        : `A check-in can only be undone within ${UNDO_CHECK_IN_MINUTES} minutes of it.`,
    noShow: never('The patient is checked in, so this is no no-show.'),
    confirm: never('The patient is already here.'),
  },
  [AppointmentStatus.CANCELLED]: {
    cancel: never('This appointment is already cancelled.'),
    reschedule: never('A cancelled appointment cannot be rescheduled; book a new one instead.'),
    complete: never('A cancelled appointment cannot be completed.'),
    checkIn: never('A cancelled appointment cannot be checked in.'),
    undoCheckIn: never('A cancelled appointment has no check-in to undo.'),
    noShow: never('A cancelled appointment cannot be a no-show.'),
    confirm: never('A cancelled appointment cannot be confirmed; book a new one instead.'),
  },
  [AppointmentStatus.COMPLETED]: {
    cancel: never('A completed visit cannot be cancelled.'),
    reschedule: never('A completed visit cannot be rescheduled.'),
    complete: never('This visit is already completed.'),
    checkIn: never('A completed visit cannot be checked in.'),
    undoCheckIn: never('This visit is completed: its check-in can no longer be undone.'),
    noShow: never('A completed visit cannot be a no-show.'),
    confirm: never('A completed visit cannot be confirmed.'),
  },
  // Never reached: a hold is no appointment to change (lockForChange does not find one).
  [AppointmentStatus.HELD]: {
    cancel: never('This is a hold, not an appointment: book it, or let it expire.'),
    reschedule: never('This is a hold, not an appointment: book it, or let it expire.'),
    complete: never('This is a hold, not an appointment: book it, or let it expire.'),
    checkIn: never('This is a hold, not an appointment: book it, or let it expire.'),
    undoCheckIn: never('This is a hold, not an appointment: book it, or let it expire.'),
    noShow: never('This is a hold, not an appointment: book it, or let it expire.'),
    confirm: never('This is a hold, not an appointment: book it, or let it expire.'),
  },
  [AppointmentStatus.NO_SHOW]: {
    cancel: never('A no-show cannot be cancelled.'),
    reschedule: never('A no-show cannot be rescheduled; book a new appointment instead.'),
    complete: never('A no-show cannot be completed.'),
    checkIn: never('This appointment was marked as a no-show; book a new one instead.'),
    undoCheckIn: never('A no-show has no check-in to undo.'),
    noShow: never('This appointment is already marked as a no-show.'),
    confirm: never('A no-show cannot be confirmed.'),
  },
};

/** The status an allowed action leads to, and how subscribers are told about it. */
export const OUTCOME: Readonly<Record<AppointmentAction, { status: AppointmentStatus; change: AppointmentChange }>> = {
  cancel: { status: AppointmentStatus.CANCELLED, change: AppointmentChange.CANCELLED },
  reschedule: { status: AppointmentStatus.BOOKED, change: AppointmentChange.RESCHEDULED },
  complete: { status: AppointmentStatus.COMPLETED, change: AppointmentChange.COMPLETED },
  checkIn: { status: AppointmentStatus.CHECKED_IN, change: AppointmentChange.CHECKED_IN },
  undoCheckIn: { status: AppointmentStatus.BOOKED, change: AppointmentChange.CHECK_IN_UNDONE },
  noShow: { status: AppointmentStatus.NO_SHOW, change: AppointmentChange.NO_SHOW },
  // Still BOOKED: a confirmation only sets confirmedAt.
  confirm: { status: AppointmentStatus.BOOKED, change: AppointmentChange.CONFIRMED },
};

/** Why the action is not allowed now, or null when it is. */
export function transitionError(action: AppointmentAction, appointment: AppointmentState, now: Date): string | null {
  return TRANSITIONS[appointment.status][action](appointment, now);
}

/** BAD_USER_INPUT with the reason unless the action is allowed now. */
export function assertTransition(action: AppointmentAction, appointment: AppointmentState, now: Date): void {
  const reason = transitionError(action, appointment, now);
  if (reason) throw badUserInput(reason, 'id');
}
