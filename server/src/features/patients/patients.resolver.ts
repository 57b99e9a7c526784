import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context';
import { Appointment } from '../appointments/appointments.type';
import { Vitals } from '../vitals/vitals.type';
import { DEFAULT_PAGE_SIZE } from './patients.service';
import { Patient, PatientConnection } from './patients.type';

@Resolver(() => Patient)
export class PatientResolver {
  @Query(() => PatientConnection, { description: "The doctor's patients, newest booking first. Only that doctor." })
  doctorPatients(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1 to 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<PatientConnection> {
    return ctx.services.patients.listDoctorPatients(ctx.viewer, doctorId, first ?? DEFAULT_PAGE_SIZE, after);
  }

  @FieldResolver(() => [Appointment], {
    description: 'As seen by the viewer: a doctor sees only appointments with them, the patient all of theirs.',
  })
  appointments(@Root() patient: Patient, @Ctx() ctx: AppContext): Promise<Appointment[]> {
    return ctx.loaders.patientAppointments.load(patient.id);
  }

  @FieldResolver(() => Vitals, { nullable: true, description: "The most recent vitals, for the patient and the doctors they're on the list of." })
  latestVitals(@Root() patient: Patient, @Ctx() ctx: AppContext): Promise<Vitals | null> {
    return ctx.loaders.latestVitals.load(patient.id);
  }
}
