import { Arg, Args, ArgsType, Ctx, Field, ID, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { PracticeAnalytics, TodayBoard } from './analytics.type';

@ArgsType()
export class PracticeTodayArgs {
  @Field(() => ID)
  practiceId!: string;
}

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

  @Subscription(() => TodayBoard, {
    description:
      "Today's appointments of the practice by their current status, and its free 30-minute slots left today: the current board at once, then after every booking or change committed on the practice's stream. Its staff and admins.",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, PracticeTodayArgs, RequestContext>) =>
      context.services.analytics.practiceToday(context.viewer, args.practiceId, context.services.events),
  })
  practiceToday(@Root() board: TodayBoard, @Args(() => PracticeTodayArgs) _args: PracticeTodayArgs): TodayBoard {
    return board;
  }
}
