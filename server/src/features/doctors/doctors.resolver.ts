import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Doctor } from './doctors.type';

@Resolver(() => Doctor)
export class DoctorResolver {
  @Query(() => [Doctor], { description: 'Every doctor, by name. Any signed-in account.' })
  doctors(@Ctx() ctx: RequestContext): Promise<Doctor[]> {
    return ctx.services.doctors.listDoctors(ctx.viewer);
  }
}
