import { Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { Doctor } from './doctors.type';

@Resolver(() => Doctor)
export class DoctorResolver {
  @Query(() => [Doctor], { description: 'Every doctor, by name. Any signed-in account.' })
  doctors(@Ctx() ctx: AppContext): Promise<Doctor[]> {
    return ctx.services.doctors.listDoctors(ctx.viewer);
  }
}
