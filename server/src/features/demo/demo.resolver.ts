import { Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { DemoAccount } from './demo.type';

@Resolver()
export class DemoResolver {
  @Query(() => [DemoAccount], {
    nullable: true,
    description: 'The demo logins when this server seeded demo data (SEED_DEMO), otherwise null. No sign-in needed.',
  })
  demoAccounts(@Ctx() ctx: AppContext): DemoAccount[] | null {
    return ctx.services.demo.accounts();
  }
}
