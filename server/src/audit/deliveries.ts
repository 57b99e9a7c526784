import type { Viewer } from '../accounts/authorization';
import type { AuditEntry } from './audit-entry';
import type { AuditTrail } from './audit-trail';

/** How many (user, event) deliveries an instance remembers: minutes of a busy clinic's fan-out, a few MB. */
export const REMEMBERED_DELIVERIES = 50_000;

/**
 * Delivery rows per (event, receiving user), not per socket: a doctor with 20 screens open gets
 * one row per event, not 20. The first of the user's subscriptions on this instance to reach an
 * event writes its row (through AuditTrail.record, so concurrent deliveries share one statement);
 * the others await that same write. Every subscription still sends the event only once the
 * promise resolves, i.e. once the row is committed: a process killed mid-fan-out cannot have
 * sent a frame whose row is missing. A failed write is forgotten at once (the next attempt writes
 * again) and fails every subscription that was waiting for it. Rows written with the event
 * itself (graphql/delivery-rows.ts) are known here once their transaction committed
 * (`committedWithEvents`): those deliveries find them and wait for nothing.
 *
 * The memory is in-process and bounded (REMEMBERED_DELIVERIES, oldest forgotten first), so
 * forgetting can only add a row (the same user receiving the same event again, e.g. a replay
 * with `after` much later, or sockets of one user on two instances), never drop one.
 */
export class DeliveryAudit {
  private readonly recent = new Map<string, Promise<void>>();
  private static readonly committed: Promise<void> = Promise.resolve();

  constructor(
    private readonly audit: AuditTrail,
    private readonly capacity = REMEMBERED_DELIVERIES,
  ) {}

  /**
   * Resolves once the row of `viewer`'s delivery of the event `eventKey` (its stream and
   * position) is committed. `practiceId`: the viewer's practice for the row.
   */
  record(viewer: Viewer, eventKey: string, entry: AuditEntry, practiceId: string | null): Promise<void> {
    const key = deliveryKey(viewer, entry, eventKey);
    const known = this.recent.get(key);
    if (known) return known;
    const written = this.audit.record(viewer, [entry], practiceId);
    this.remember(key, written);
    written.catch(() => {
      if (this.recent.get(key) === written) this.recent.delete(key);
    });
    return written;
  }

  /**
   * The rows of these deliveries (their `deliveryKey`s) committed with the transaction that emitted
   * their events (graphql/delivery-rows.ts): the deliveries find them written and send at once.
   */
  committedWithEvents(keys: readonly string[]): void {
    for (const key of keys) this.remember(key, DeliveryAudit.committed);
  }

  private remember(key: string, written: Promise<void>): void {
    this.recent.set(key, written);
    if (this.recent.size > this.capacity) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
  }
}

/**
 * A delivery's identity: the receiving user, per app too (the same user's dashboard and their
 * app, or two apps, each get their own row), the row's action and the event (its stream and
 * position).
 */
export function deliveryKey(viewer: Viewer, entry: AuditEntry, eventKey: string): string {
  return `${viewer.userId} ${viewer.app?.id ?? '-'} ${entry.action} ${eventKey}`;
}
