import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { DEFAULT_PAGE_SIZE } from './patients.service';
import { Patient, PatientConnection } from './patients.type';

@Resolver(() => Patient)
export class PatientResolver {
  @Query(() => PatientConnection, { description: "The doctor's patients, newest booking first. Only that doctor." })
  doctorPatients(
    @Arg('doctorId', () => ID) doctorId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1 to 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PatientConnection> {
    return ctx.services.patients.listDoctorPatients(ctx.viewer, doctorId, first ?? DEFAULT_PAGE_SIZE, after);
  }
}
