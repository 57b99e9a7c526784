import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { AppContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { Doctor } from '../doctors/doctors.type';
import { Patient } from '../patients/patients.type';
import { PatientAddedEvent, toPatientAddedEvent, type PatientAddedPayload } from './appointments.events';
import { BookAppointmentInput } from './appointments.input';
import { Appointment } from './appointments.type';

interface PatientAddedArgs {
  doctorId: string;
  after?: string | null;
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment, { description: 'A PATIENT books themself. SLOT_UNAVAILABLE when the doctor or the patient is booked then.' })
  bookAppointment(@Arg('input', () => BookAppointmentInput) input: BookAppointmentInput, @Ctx() ctx: AppContext): Promise<Appointment> {
    return ctx.services.appointments.bookAppointment(ctx.viewer, input);
  }

  @Subscription(() => PatientAddedEvent, {
    description: "Every booking with the doctor, after commit, in commit order. Only that doctor. With `after`, first every event since that cursor.",
    subscribe: ({ args, context }) => {
      const { doctorId, after } = args as PatientAddedArgs;
      const ctx = context as AppContext;
      return ctx.services.appointments.subscribePatientAdded(ctx.viewer, doctorId, after, ctx.connection);
    },
  })
  patientAdded(
    @Root() payload: PatientAddedPayload,
    @Arg('doctorId', () => ID) _doctorId: string,
    @Arg('after', () => String, { nullable: true, description: 'A cursor from an earlier event: resume right after it.' }) _after: string | null,
  ): PatientAddedEvent {
    return toPatientAddedEvent(payload);
  }

  @FieldResolver(() => Doctor)
  async doctor(@Root() appointment: Appointment, @Ctx() ctx: AppContext): Promise<Doctor> {
    return (await ctx.loaders.doctor.load(appointment.doctorId)) ?? Promise.reject(notFound('Doctor'));
  }

  @FieldResolver(() => Patient)
  async patient(@Root() appointment: Appointment, @Ctx() ctx: AppContext): Promise<Patient> {
    return (await ctx.loaders.patient.load(appointment.patientId)) ?? Promise.reject(notFound('Patient'));
  }
}
