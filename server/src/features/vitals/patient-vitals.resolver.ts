import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Patient } from '../patients/patients.type';
import { Vitals } from './vitals.type';

/** `Patient.latestVitals`: declared here, so the patients feature needs to know nothing of vitals. */
@Resolver(() => Patient)
export class PatientVitalsResolver {
  @FieldResolver(() => Vitals, {
    nullable: true,
    description: 'The most recent vitals, for the patient and the doctors who treat them now (null for anyone else, staff included).',
  })
  latestVitals(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Vitals | null> {
    return ctx.loaders.latestVitals.load(patient.id);
  }
}
