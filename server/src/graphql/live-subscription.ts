import type { SubscribeResolverData } from 'type-graphql';
import type { Viewer } from '../accounts/authorization';
import type { AuditEntry } from '../audit/audit-entry';
import { mapIterator, SKIP } from '../live/async-iterators';
import type { TopicName, TopicPayload } from '../live/topics';
import type { RequestContext, RequestServices } from './request-context';
import type { OwnStreamArgs } from './stream-args';

/** Which stream a subscriber reads, and the check each event passes before it is sent. */
export interface LiveStream<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** Runs before each event; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>, now: Date): void;
  /**
   * For streams that carry a patient's data to someone else (a doctor's streams): the audit row
   * of one delivery. It is committed before the event is sent (batched with concurrent deliveries).
   */
  audit?(payload: TopicPayload<T>): AuditEntry;
  /**
   * For decisions that read (practice membership, a care relationship), after `authorize` and
   * before the audit row, for every event (live or replayed); a per-subscriber cache belongs in
   * its closure. false: this event is not delivered (the next one is checked again); throws
   * (FORBIDDEN, UNAUTHENTICATED): the subscription ends with that error.
   */
  recheck?(payload: TopicPayload<T>): Promise<boolean>;
}

/**
 * The one way to declare a live subscription: `open` makes the entry decision from the typed
 * arguments and the viewer (throwing FORBIDDEN / UNAUTHENTICATED before anything is subscribed;
 * the services are there for decisions that read the database, such as practice membership)
 * and names the stream and the per-event check; the stream itself always comes from
 * EventStreams.subscribe, so every subscription has the same guarantees (commit order, exactly
 * once, `after`, CURSOR_EXPIRED, slow-consumer cut-off by the transport), and every delivery of
 * a patient's data to someone else is audited the same way.
 *
 *     @Subscription(() => PatientAddedEvent, { subscribe: liveSubscription(patientAddedStream) })
 *     patientAdded(@Root() payload: PatientAddedPayload, @Args(() => DoctorStreamArgs) _args: DoctorStreamArgs)
 */
export function liveSubscription<Args extends object, T extends TopicName>(
  open: (viewer: Viewer | undefined, args: Args, services: RequestServices) => LiveStream<T> | Promise<LiveStream<T>>,
): (data: SubscribeResolverData<unknown, Args & OwnStreamArgs, RequestContext>) => Promise<AsyncIterableIterator<TopicPayload<T>>> {
  return async ({ args, context }) => {
    const stream = await open(context.viewer, args, context.services);
    const { viewer } = context;
    const audit = stream.audit;
    // The actor's practice for the delivery rows, looked up once (the entry decision above was
    // made for this membership too) and before subscribing, so a failure here leaks nothing.
    const practiceId = audit && viewer ? await context.services.audit.actorPracticeOf(viewer) : null;
    const events = await context.services.events.subscribe({ ...stream, after: args.after });
    const record =
      audit && viewer ? (payload: TopicPayload<T>) => context.services.audit.record(viewer, [audit(payload)], practiceId) : undefined;
    if (!stream.recheck && !record) return events;
    return checkedAndAudited(events, stream.recheck?.bind(stream), record);
  };
}

/** The same events, each one passed on only once its recheck allowed it and its audit row is committed. */
function checkedAndAudited<P>(
  events: AsyncIterableIterator<P>,
  recheck: ((payload: P) => Promise<boolean>) | undefined,
  record: ((payload: P) => Promise<void>) | undefined,
): AsyncIterableIterator<P> {
  return mapIterator(events, async (payload) => {
    if (recheck && !(await recheck(payload))) return SKIP;
    if (record) await record(payload);
    return payload;
  });
}
