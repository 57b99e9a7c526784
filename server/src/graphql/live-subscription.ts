import type { SubscribeResolverData } from 'type-graphql';
import type { Viewer } from '../accounts/authorization';
import type { AuditEntry } from '../audit/audit-entry';
import { deliveryKey } from '../audit/deliveries';
import { mapIterator, SKIP } from '../live/async-iterators';
import { payloadOf, type TopicName, type TopicPayload } from '../live/topics';
import { AuditedSubscription } from './delivery-rows';
import type { RequestContext, RequestServices } from './request-context';
import type { OwnStreamArgs } from './stream-args';

/** Which stream a subscriber reads, and the check each event passes before it is sent. */
export interface LiveStream<T extends TopicName> {
  readonly stream: string;
  readonly topic: T;
  /** Runs before each event; throws (FORBIDDEN, UNAUTHENTICATED) to end the subscription. */
  authorize(payload: TopicPayload<T>, now: Date): void;
  /**
   * A check that reads the database (practice membership, a care relationship), run for each
   * event, live or replayed, after `authorize` and before the audit row; a per-subscriber cache
   * belongs in its closure. false = do not deliver this event (the subscription goes on, the next
   * event is checked again); throw (FORBIDDEN, UNAUTHENTICATED) to end the subscription.
   */
  recheck?(payload: TopicPayload<T>): Promise<boolean>;
  /**
   * For streams that carry a patient's data to someone else (a doctor's and a practice's
   * streams): the audit row of one delivery. One row per event and receiving user (not per
   * socket: audit/deliveries.ts), committed before the event is sent, live and replayed alike.
   */
  audit?(payload: TopicPayload<T>): AuditEntry;
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
    const { viewer, services } = context;
    const { audit, recheck } = stream;
    // The actor's practice for the delivery rows, looked up once (the entry decision above was
    // made for this membership too) and before subscribing, so a failure here leaks nothing.
    const practiceId = audit && viewer ? await services.audit.actorPracticeOf(viewer) : null;
    // Without a check that reads the database, a transaction emitting an event of this stream can
    // tell whether it will be sent here, and writes its row with the event (delivery-rows.ts).
    const watcher =
      audit && viewer && !recheck
        ? new AuditedSubscription(`${viewer.userId} ${viewer.app?.id ?? '-'} ${stream.topic}`, (event, now) => {
            const payload = payloadOf(event.message, stream.topic);
            if (payload === undefined) return undefined;
            try {
              stream.authorize(payload, now);
            } catch {
              return undefined; // not sent: the delivery will end the subscription
            }
            const entry = audit(payload);
            return { key: deliveryKey(viewer, entry, eventKey(stream.stream, payload)), viewer, practiceId, entry };
          })
        : undefined;
    const events = await services.events.subscribe({ ...stream, after: args.after, ...(watcher ? { watcher } : {}) });
    // A stream that carries no one else's data (a patient's own) needs no step per event.
    if (!recheck && (!audit || !viewer)) return events;
    // Each event passed on only once it passed the re-check and its audit row is committed; its
    // identity is remembered, so nested reads of patient data in it are audited per delivery too.
    return mapIterator(events, async (payload) => {
      if (recheck && !(await recheck(payload))) return SKIP;
      const key = eventKey(stream.stream, payload);
      if (audit && viewer) await services.deliveries.record(viewer, key, audit(payload), practiceId);
      liveEventKeys.set(payload, key);
      return payload;
    });
  };
}

/** The identity of each live event payload being executed (its root value), while it is alive. */
const liveEventKeys = new WeakMap<object, string>();

/**
 * The identity of the live event a field is resolved in (pass `info.rootValue`), or undefined
 * outside an event of a stream that delivers patient data to someone else (one with `audit`). A nested read of patient data in an event (a patient's latest
 * vitals in `patientAdded`) is then a delivery of that event: audited once per (event, user,
 * patient) through DeliveryAudit, not once per socket or replay.
 */
export function liveEventKeyOf(rootValue: unknown): string | undefined {
  return typeof rootValue === 'object' && rootValue !== null ? liveEventKeys.get(rootValue) : undefined;
}

/** An event's identity: its stream and its position in it (every topic's payload carries its `seq`). */
function eventKey(stream: string, payload: TopicPayload<TopicName>): string {
  return `${stream}#${payload.seq}`;
}
