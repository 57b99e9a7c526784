import { Arg, Args, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { liveSubscription } from '../../graphql/live-subscription';
import type { RequestContext } from '../../graphql/request-context';
import { PracticeStreamArgs } from '../../graphql/stream-args';
import {
  AppointmentUpdatedEvent,
  PatientAddedEvent,
  toAppointmentUpdatedEvent,
  toPatientAddedEvent,
  type AppointmentUpdatedPayload,
  type PatientAddedPayload,
} from './appointments.events';
import { practiceAppointmentUpdatedStream, practicePatientAddedStream } from './appointments.policy';
import { Appointment } from './appointments.type';

/** The front desk's day: check-ins, no-shows, and the practice's live streams. */
@Resolver(() => Appointment)
export class PracticeAppointmentResolver {
  @Mutation(() => Appointment, {
    description:
      "Staff of the practice or the doctor check in a BOOKED appointment on its day (in the practice's time zone): CHECKED_IN, still holding its slot. BAD_USER_INPUT on another day or status.",
  })
  checkInAppointment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.checkInAppointment(ctx.viewer, id);
  }

  @Mutation(() => Appointment, {
    description:
      'Staff of the practice or the doctor undo a check-in within 5 minutes of it: BOOKED again (checkedInAt null), live on every stream that shows it (change CHECK_IN_UNDONE). BAD_USER_INPUT after the window or when it is not checked in.',
  })
  undoCheckIn(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.undoCheckIn(ctx.viewer, id);
  }

  @Mutation(() => Appointment, {
    description:
      'Staff of the practice or the doctor mark a BOOKED appointment whose start time has passed as NO_SHOW; its slot is free again.',
  })
  markNoShow(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.markNoShow(ctx.viewer, id);
  }

  @Subscription(() => PatientAddedEvent, {
    description:
      "Every booking with one of the practice's doctors, after commit, in commit order (firstVisit: the patient's first with the practice). Its staff and admins only. With `after`, first every event since that cursor.",
    subscribe: liveSubscription(practicePatientAddedStream),
  })
  practicePatientAdded(@Root() payload: PatientAddedPayload, @Args(() => PracticeStreamArgs) _args: PracticeStreamArgs): PatientAddedEvent {
    return toPatientAddedEvent(payload);
  }

  @Subscription(() => AppointmentUpdatedEvent, {
    description:
      "Every check-in, cancellation, reschedule, completion and no-show of the practice's appointments, after commit, in commit order (shared with practicePatientAdded). Its staff and admins only. With `after`, first every such event since that cursor.",
    subscribe: liveSubscription(practiceAppointmentUpdatedStream),
  })
  practiceAppointmentUpdated(
    @Root() payload: AppointmentUpdatedPayload,
    @Args(() => PracticeStreamArgs) _args: PracticeStreamArgs,
  ): AppointmentUpdatedEvent {
    return toAppointmentUpdatedEvent(payload);
  }
}
