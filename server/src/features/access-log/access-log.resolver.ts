import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { DEFAULT_ACCESS_LOG_SIZE } from './access-log.service';
import { AccessLogEntry } from './access-log.type';

@Resolver(() => AccessLogEntry)
export class AccessLogResolver {
  @Query(() => [AccessLogEntry], { description: 'A PATIENT: who else read or changed my data (the audit trail), newest first.' })
  myAccessLog(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ACCESS_LOG_SIZE, description: 'How many, 1 to 200.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last entry seen: the entries before it.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessLogEntry[]> {
    return ctx.services.accessLog.myAccessLog(ctx.viewer, first ?? DEFAULT_ACCESS_LOG_SIZE, after);
  }
}
