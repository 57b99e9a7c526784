import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { PracticeAnalytics } from './analytics.type';

@Resolver()
export class AnalyticsResolver {
  @Query(() => PracticeAnalytics, {
    description:
      "The practice's figures over appointments starting in [from, to) (at most 366 days), with the period before: aggregates only. Its staff and admins; a member doctor for doctorId = themself. Definitions: docs/analytics.md.",
  })
  practiceAnalytics(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('doctorId', () => ID, { nullable: true }) doctorId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PracticeAnalytics> {
    return ctx.services.analytics.practiceAnalytics(ctx.viewer, practiceId, from, to, doctorId);
  }
}
