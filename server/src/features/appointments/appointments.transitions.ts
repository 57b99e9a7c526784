import type { AppointmentAction } from './appointments.policy';
import { badUserInput } from '../../platform/errors';
import { AppointmentStatus } from '../../generated/prisma/enums';
import { AppointmentChange } from './appointments.events';

/** What the rules need to know about an appointment. */
export interface AppointmentState {
  readonly status: AppointmentStatus;
  readonly startsAt: Date;
}

/** null: allowed; a string: why not (shown to the user as BAD_USER_INPUT). */
type Rule = (appointment: AppointmentState, now: Date) => string | null;
const never = (reason: string): Rule => () => reason;

/**
 * The whole lifecycle in one table. BOOKED is the only state anything can leave; CANCELLED and
 * COMPLETED are final (a cancelled visit is booked again as a new appointment, so its history stays).
 */
const TRANSITIONS: Readonly<Record<AppointmentStatus, Readonly<Record<AppointmentAction, Rule>>>> = {
  [AppointmentStatus.BOOKED]: {
    cancel: () => null,
    reschedule: (appointment, now) =>
      appointment.startsAt <= now ? 'This appointment has already started, so it can no longer be rescheduled.' : null,
    complete: (appointment, now) =>
      appointment.startsAt > now ? 'This appointment has not started yet; complete it once it has.' : null,
  },
  [AppointmentStatus.CANCELLED]: {
    cancel: never('This appointment is already cancelled.'),
    reschedule: never('A cancelled appointment cannot be rescheduled; book a new one instead.'),
    complete: never('A cancelled appointment cannot be completed.'),
  },
  [AppointmentStatus.COMPLETED]: {
    cancel: never('A completed visit cannot be cancelled.'),
    reschedule: never('A completed visit cannot be rescheduled.'),
    complete: never('This visit is already completed.'),
  },
};

/** The status an allowed action leads to, and how subscribers are told about it. */
export const OUTCOME: Readonly<Record<AppointmentAction, { status: AppointmentStatus; change: AppointmentChange }>> = {
  cancel: { status: AppointmentStatus.CANCELLED, change: AppointmentChange.CANCELLED },
  reschedule: { status: AppointmentStatus.BOOKED, change: AppointmentChange.RESCHEDULED },
  complete: { status: AppointmentStatus.COMPLETED, change: AppointmentChange.COMPLETED },
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
