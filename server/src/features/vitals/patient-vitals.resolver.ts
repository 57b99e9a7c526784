import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { liveEventKeyOf } from '../../graphql/live-subscription';
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
  latestVitals(@Root() patient: Patient, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Vitals | null> {
    // Inside a live event (patientAdded's patient): audited as a delivery of that event.
    const eventKey = liveEventKeyOf(info.rootValue);
    if (eventKey !== undefined) return ctx.services.vitals.latestVitalsDelivered(ctx.viewer, patient.id, eventKey);
    return ctx.loaders.latestVitals.load(patient.id);
  }
}
