import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { DemoAccount } from './demo.type';

@Resolver()
export class DemoResolver {
  @Query(() => [DemoAccount], {
    nullable: true,
    description: 'The demo logins when this server seeded demo data (SEED_DEMO), otherwise null. No sign-in needed.',
  })
  demoAccounts(@Ctx() ctx: RequestContext): DemoAccount[] | null {
    return ctx.services.demo.accounts();
  }
}
