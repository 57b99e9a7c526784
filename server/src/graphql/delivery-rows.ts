import type { Viewer } from '../accounts/authorization';
import type { AuditEntry } from '../audit/audit-entry';
import type { AuditTrail } from '../audit/audit-trail';
import type { DeliveryAudit } from '../audit/deliveries';
import type { EventStreams } from '../live/event-streams';
import type { PendingEvent } from '../live/outbox';
import type { EventTap } from '../live/transactions';
import type { TopicName } from '../live/topics';
import type { Clock } from '../platform/clock';
import type { Sql } from '../platform/sql';

/** One delivery's audit row: its key in audit/deliveries.ts (one row per key), actor and entry. */
export interface AuditedDelivery {
  readonly key: string;
  readonly viewer: Viewer;
  /** The viewer's practice for the row. */
  readonly practiceId: string | null;
  readonly entry: AuditEntry;
}

/**
 * A live subscription on this instance whose deliveries are audited and whose per-event check
 * reads nothing (live-subscription.ts makes one): the watcher it subscribes with
 * (EventStreams.watchersOf), so that a transaction emitting an event of its stream can tell
 * whether it will be sent it.
 */
export class AuditedSubscription {
  constructor(
    /**
     * Whom it delivers to (the user, their app, the topic): subscriptions with the same audience
     * share one row per event, so once one of them has its delivery the others need not be asked.
     */
    readonly audience: string,
    /** Its delivery of an event of its stream; undefined when it would not be sent it (another topic, refused at `now`). */
    readonly deliveryOf: (event: PendingEvent<TopicName>, now: Date) => AuditedDelivery | undefined,
  ) {}
}

/**
 * Writes the delivery rows of a transaction's events with the events themselves, for the
 * subscriptions this instance has for them when it commits (AuditedSubscription): one statement,
 * sent with COMMIT. Once committed, their keys are handed to DeliveryAudit, so when the event
 * reaches those subscriptions their row is already there and the frames leave at once. Without
 * this, every event waited for a write of its own after it arrived: a round trip to PostgreSQL
 * and a commit, each completing on a later turn of a busy event loop.
 *
 * Who gets a row here is who would be sent the event: the subscriptions of its stream and topic
 * whose per-event check passes now, and not those whose check reads the database (a care
 * relationship, a membership): those are decided, and written, on delivery as before. A
 * subscription that ends between the commit and its event (the socket closed) leaves a row for
 * a frame it was not sent, as a socket that closes just after its row is written always did;
 * never a frame without its row. Subscribers on other instances write their own row on delivery.
 */
export class DeliveryRowsAtCommit implements EventTap {
  /** The keys each transaction attempt wrote, by its events (the same array `committed` gets). */
  private readonly written = new WeakMap<object, string[]>();

  constructor(
    private readonly streams: Pick<EventStreams, 'watchersOf'>,
    private readonly audit: Pick<AuditTrail, 'deliveryRowsWrite'>,
    private readonly deliveries: DeliveryAudit,
    private readonly clock: Clock,
  ) {}

  inTransaction(_tx: Sql, events: ReadonlyArray<PendingEvent<TopicName>>) {
    const now = this.clock();
    const rows = new Map<string, AuditedDelivery>();
    for (const event of events) {
      // A user's screens share one row (DeliveryAudit's key), as on delivery: with a doctor's 1,000
      // screens, one is asked, not 1,000.
      const covered = new Set<string>();
      for (const watcher of this.streams.watchersOf(event.stream)) {
        if (!(watcher instanceof AuditedSubscription) || covered.has(watcher.audience)) continue;
        const delivery = watcher.deliveryOf(event, now);
        if (!delivery) continue;
        covered.add(watcher.audience);
        rows.set(delivery.key, delivery);
      }
    }
    if (rows.size === 0) return Promise.resolve([]);
    this.written.set(events, [...rows.keys()]);
    return Promise.resolve([this.audit.deliveryRowsWrite([...rows.values()])]);
  }

  committed(events: ReadonlyArray<PendingEvent<TopicName>>): void {
    const keys = this.written.get(events);
    if (keys) this.deliveries.committedWithEvents(keys);
  }
}
