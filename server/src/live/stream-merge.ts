/** Anything with a position in its stream (1, 2, 3... gap-free in commit order). */
export interface Sequenced {
  readonly seq: number;
}

/** The sequence numbers a subscriber must read from the database before it can go on. */
export interface MissingRange {
  /** The last sequence delivered: fetch events with seq > after... */
  readonly after: number;
  /** ...up to and including this one (the event just below the lowest one held). */
  readonly upTo: number;
}

/**
 * Merges the copies of one stream's events that reach a subscriber by different paths (live
 * pub/sub from any instance, database replays, sweeps republishing after a fault) into one
 * stream: strictly in sequence order, each sequence exactly once. Pure: the caller does the I/O
 * (fetching `missing()` from the database) and feeds whatever it gets back in.
 *
 * An event above the next expected sequence is held, not dropped: the events below it have
 * committed (sequences are assigned in commit order), so the caller can always fetch them.
 */
export class SequenceMerger<E extends Sequenced> {
  private readonly held = new Map<number, E>();

  /** `lastDelivered`: the sequence the subscriber already has (its cursor), 0 for none. */
  constructor(private lastDelivered: number) {}

  /** The last sequence delivered so far: the subscriber's cursor. */
  get last(): number {
    return this.lastDelivered;
  }

  /** Events held above a gap, waiting for the missing ones. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Takes events in any order, duplicates included; returns those now deliverable, in order. */
  accept(events: Iterable<E>): E[] {
    for (const event of events) {
      if (event.seq > this.lastDelivered && !this.held.has(event.seq)) this.held.set(event.seq, event);
    }
    const ready: E[] = [];
    for (let next = this.held.get(this.lastDelivered + 1); next; next = this.held.get(this.lastDelivered + 1)) {
      this.held.delete(next.seq);
      this.lastDelivered = next.seq;
      ready.push(next);
    }
    return ready;
  }

  /** The gap below the held events, when there is one. */
  missing(): MissingRange | undefined {
    if (this.held.size === 0) return undefined;
    return { after: this.lastDelivered, upTo: Math.min(...this.held.keys()) - 1 };
  }

  /**
   * Gives up on sequences up to `seq` that no longer exist (pruned by retention) and returns
   * what becomes deliverable. Only for a gap the database could not fill.
   */
  skipTo(seq: number): E[] {
    if (seq > this.lastDelivered) this.lastDelivered = seq;
    for (const held of [...this.held.keys()]) if (held <= this.lastDelivered) this.held.delete(held);
    return this.accept([]);
  }
}
