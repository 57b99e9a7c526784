import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { liveSubscription } from '../../graphql/live-subscription';
import { RateLimited } from '../../graphql/rate-limited';
import type { RequestContext } from '../../graphql/request-context';
import { DoctorStreamArgs, OwnStreamArgs } from '../../graphql/stream-args';
import { notFound } from '../../platform/errors';
import { Doctor } from '../doctors/doctors.type';
import { Patient } from '../patients/patients.type';
import {
  AppointmentUpdatedEvent,
  PatientAddedEvent,
  toAppointmentUpdatedEvent,
  toPatientAddedEvent,
  type AppointmentUpdatedPayload,
  type PatientAddedPayload,
} from './appointments.events';
import { BookAppointmentInput } from './appointments.input';
import { appointmentUpdatedStream, myAppointmentUpdatedStream, patientAddedStream } from './appointments.policy';
import { Appointment } from './appointments.type';

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment, {
    description:
      "A PATIENT books themself, or STAFF of the doctor's practice book for a patient (input.patientId). SLOT_UNAVAILABLE when the doctor or the patient is booked then, or when it falls outside the doctor's working hours (if they set some).",
  })
  @RateLimited('bookings', 'account')
  bookAppointment(@Arg('input', () => BookAppointmentInput) input: BookAppointmentInput, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointments.bookAppointment(ctx.viewer, input);
  }

  @Subscription(() => PatientAddedEvent, {
    description:
      'Every booking with the doctor, after commit, in commit order. Only that doctor. With `after`, first every event since that cursor.',
    subscribe: liveSubscription(patientAddedStream),
  })
  patientAdded(@Root() payload: PatientAddedPayload, @Args(() => DoctorStreamArgs) _args: DoctorStreamArgs): PatientAddedEvent {
    return toPatientAddedEvent(payload);
  }

  @Mutation(() => Appointment, {
    description:
      "The patient, the doctor or the practice's staff cancel a BOOKED or CHECKED_IN appointment; the time is free again at once. BAD_USER_INPUT when it is already cancelled, completed or a no-show.",
  })
  @RateLimited('appointmentChanges', 'account')
  cancelAppointment(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Up to 500 characters.' }) reason: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.cancelAppointment(ctx.viewer, id, reason);
  }

  @Mutation(() => Appointment, {
    description:
      "The patient says \"I will come\": confirmedAt is set on their own BOOKED appointment that has not started, live on the doctor's, the desk's and the patient's streams (change CONFIRMED) and webhooked (appointment.confirmed). Again: the same appointment, no second event. FORBIDDEN for anyone else; BAD_USER_INPUT when it is not BOOKED or has started.",
  })
  @RateLimited('appointmentChanges', 'account')
  confirmAppointment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.confirmAppointment(ctx.viewer, id);
  }

  @Mutation(() => Appointment, {
    description:
      "The patient, the doctor or the practice's staff move a BOOKED appointment that has not started. Same rules as booking: SLOT_UNAVAILABLE when it overlaps or falls outside the doctor's working hours.",
  })
  @RateLimited('appointmentChanges', 'account')
  rescheduleAppointment(
    @Arg('id', () => ID) id: string,
    @Arg('startsAt', () => Date, { description: 'In the future.' }) startsAt: Date,
    @Arg('durationMinutes', () => Int, { nullable: true, description: 'From 5 to 240; default: keep the current length.' })
    durationMinutes: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.rescheduleAppointment(ctx.viewer, id, startsAt, durationMinutes);
  }

  @Mutation(() => Appointment, {
    description: 'The doctor marks a BOOKED or CHECKED_IN appointment that has started as a completed visit.',
  })
  @RateLimited('appointmentChanges', 'account')
  completeAppointment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Appointment> {
    return ctx.services.appointmentLifecycle.completeAppointment(ctx.viewer, id);
  }

  @Subscription(() => AppointmentUpdatedEvent, {
    description:
      "Every cancel, reschedule, completion, check-in and no-show of the doctor's appointments, after commit, in commit order (shared with patientAdded). Only that doctor. With `after`, first every such event since that cursor.",
    subscribe: liveSubscription(appointmentUpdatedStream),
  })
  appointmentUpdated(
    @Root() payload: AppointmentUpdatedPayload,
    @Args(() => DoctorStreamArgs) _args: DoctorStreamArgs,
  ): AppointmentUpdatedEvent {
    return toAppointmentUpdatedEvent(payload);
  }

  @Subscription(() => AppointmentUpdatedEvent, {
    description:
      "Every change to the signed-in patient's own appointments, after commit, in commit order. PATIENT only. With `after`, first every such event since that cursor.",
    subscribe: liveSubscription(myAppointmentUpdatedStream),
  })
  myAppointmentUpdated(
    @Root() payload: AppointmentUpdatedPayload,
    @Args(() => OwnStreamArgs) _args: OwnStreamArgs,
  ): AppointmentUpdatedEvent {
    return toAppointmentUpdatedEvent(payload);
  }

  @FieldResolver(() => Doctor)
  async doctor(@Root() appointment: Appointment, @Ctx() ctx: RequestContext): Promise<Doctor> {
    return (await ctx.loaders.doctor.load(appointment.doctorId)) ?? Promise.reject(notFound('Doctor'));
  }

  @FieldResolver(() => Patient)
  async patient(@Root() appointment: Appointment, @Ctx() ctx: RequestContext): Promise<Patient> {
    return (await ctx.loaders.patient.load(appointment.patientId)) ?? Promise.reject(notFound('Patient'));
  }
}
