import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Patient } from '../patients/patients.type';
import { Appointment } from './appointments.type';

/** `Patient.appointments`: declared here, so the patients feature needs to know nothing of appointments. */
@Resolver(() => Patient)
export class PatientAppointmentsResolver {
  @FieldResolver(() => [Appointment], {
    description:
      "As seen by the viewer: a doctor sees only appointments with them, the patient all of theirs, staff those with their practice's doctors.",
  })
  appointments(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Appointment[]> {
    return ctx.loaders.patientAppointments.load(patient.id);
  }
}
