import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { Practice } from '../practices/practices.type';
import { DEFAULT_ACCESS_LOG_SIZE } from './access-log.service';
import { AccessLogEntry, SecurityEvent } from './access-log.type';

@Resolver(() => AccessLogEntry)
export class AccessLogResolver {
  @Query(() => [AccessLogEntry], { description: 'A PATIENT: who else read or changed my data (the audit trail), newest first.' })
  myAccessLog(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ACCESS_LOG_SIZE, description: 'How many, 1 to 200.' })
    first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last entry seen: the entries before it.' })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessLogEntry[]> {
    return ctx.services.accessLog.myAccessLog(ctx.viewer, first ?? DEFAULT_ACCESS_LOG_SIZE, after);
  }

  @Query(() => [AccessLogEntry], {
    description:
      "An admin of the practice: the audit events of the practice's people (reads and changes of patient data), newest first, optionally for one patient and a time range.",
  })
  practiceAuditEvents(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('patientId', () => ID, { nullable: true, description: 'Only events concerning this patient.' }) patientId: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'Only events at or after this time.' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Only events before this time.' }) to: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ACCESS_LOG_SIZE, description: 'How many, 1 to 200.' })
    first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last entry seen: the entries before it.' })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessLogEntry[]> {
    return ctx.services.accessLog.practiceAuditEvents(ctx.viewer, practiceId, {
      patientId,
      from,
      to,
      first: first ?? DEFAULT_ACCESS_LOG_SIZE,
      after,
    });
  }

  @Query(() => [SecurityEvent], {
    description:
      'An admin of the practice: its security events (sign-ins of its members, password and MFA changes, session revocations, membership and invitation changes, webhook endpoint changes), newest first.',
  })
  practiceSecurityEvents(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ACCESS_LOG_SIZE, description: 'How many, 1 to 200.' })
    first: number | null,
    @Arg('after', () => ID, { nullable: true, description: 'The id of the last event seen: the events before it.' })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SecurityEvent[]> {
    return ctx.services.accessLog.practiceSecurityEvents(ctx.viewer, practiceId, first ?? DEFAULT_ACCESS_LOG_SIZE, after);
  }

  @FieldResolver(() => Practice, { nullable: true, description: "The actor's practice, when they belong to one (patients do not)." })
  practice(@Root() entry: AccessLogEntry, @Ctx() ctx: RequestContext): Promise<Practice | null> {
    return entry.practiceId ? ctx.loaders.practice.load(entry.practiceId) : Promise.resolve(null);
  }
}
