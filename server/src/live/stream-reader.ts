import type { EventEmitter } from 'node:events';
import { iteratorFrom } from './async-iterators';
import { EventQueue } from './event-queue';
import { SequenceMerger, type MissingRange, type Sequenced } from './stream-merge';

// Rows per database read when replaying or filling a gap.
const PAGE_SIZE = 500;

const RESYNC = Symbol('resync');
type Signal<E> = { readonly event: E } | typeof RESYNC;

export interface StreamReaderOptions<E extends Sequenced> {
  /** The last sequence the subscriber has: its cursor, or the stream's last sequence when it starts live. */
  readonly start: number;
  /** Read the stored events after `start` before anything live (the subscriber gave a cursor). */
  readonly replay: boolean;
  /** The stream's live events, subscribed BEFORE `start` was read, so nothing falls between the two. */
  readonly live: EventQueue<E>;
  /**
   * A sequence known to exist when the reader starts (the stream's last one, read from the
   * primary): a replay must reach at least it. Unset: nothing is known beyond `start`.
   */
  readonly head?: number;
  /**
   * Stored events with seq > afterSeq, in order, at most `limit`. `mustReach` is a sequence known
   * to have committed (the reader holds an event above it, or it is `head`): a read from a lagging
   * replica must be completed up to it from the primary (catch-up-reads.ts). Undefined after a
   * pub/sub outage, when nothing is known of what may have been lost.
   */
  fetchAfter(afterSeq: number, limit: number, mustReach: number | undefined): Promise<E[]>;
  /** Emits 'resubscribed' when pub/sub may have lost messages (pubsub.ts): the reader reads the database. */
  readonly signals: EventEmitter;
  /** Further events of `signals` that make this reader read the database (its stream's `behindEvent`). */
  readonly resyncOn?: readonly string[];
  /** Runs before each event is delivered; throws (FORBIDDEN, UNAUTHENTICATED) to end the stream. */
  authorize(event: E): void;
  /** Live events that may wait for a consumer that does not keep up... */
  readonly maxQueued: number;
  /** ...past which this runs (the socket is closed as a slow consumer) and the stream ends. */
  onOverflow(): void;
  /** A gap the primary database could not fill (its events were pruned): delivery goes on after it. */
  onSkip?(gap: MissingRange): void;
}

/**
 * One subscriber's view of one stream: every event after `start`, strictly in sequence order,
 * each exactly once, whatever order and how many times pub/sub brings them (several instances
 * dispatching, sweeps republishing). A gap in what arrives live is filled from the database
 * before anything above it is delivered; after a pub/sub outage the database is read again.
 * The ordering logic itself is SequenceMerger (pure, property-tested); this adds the I/O.
 *
 * Everything is wired before the first pull (a resync signal cannot fall before it), and
 * return() releases the live subscription even when the stream was never pulled (iteratorFrom:
 * the generator's `finally` would not run then).
 */
export function readStream<E extends Sequenced>(options: StreamReaderOptions<E>): AsyncIterableIterator<E> {
  const merger = new SequenceMerger<E>(options.start);
  const queue = new EventQueue<Signal<E>>();
  const onResync = () => queue.push(RESYNC);
  const resyncEvents = ['resubscribed', ...(options.resyncOn ?? [])];
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const name of resyncEvents) options.signals.off(name, onResync);
    options.live.end();
    queue.end();
  };
  for (const name of resyncEvents) options.signals.on(name, onResync);
  // Moves live events into one queue with the resync signals; measures how far the consumer lags.
  void (async () => {
    for await (const event of options.live) {
      queue.push({ event });
      if (queue.size > options.maxQueued) {
        options.onOverflow();
        break;
      }
    }
    queue.end();
  })();

  function* deliver(events: readonly E[]): Generator<E> {
    for (const event of events) {
      options.authorize(event);
      yield event;
    }
  }

  // The highest sequence known to exist: the head read at the start, and what is held above a gap.
  const knownUpTo = (): number | undefined => {
    const known = Math.max(options.head ?? 0, merger.missing()?.upTo ?? 0);
    return known > merger.last ? known : undefined;
  };

  /**
   * `afterResync`: after a pub/sub outage nothing is known of how far the stream went meanwhile
   * (mustReach unset: the primary says). Otherwise what is known; with nothing known beyond what
   * was delivered (a replay already at the head), mustReach is that: nothing more is owed.
   */
  async function* catchUp(afterResync = false): AsyncGenerator<E> {
    for (;;) {
      const mustReach = afterResync ? undefined : (knownUpTo() ?? merger.last);
      const page = await options.fetchAfter(merger.last, PAGE_SIZE, mustReach);
      yield* deliver(merger.accept(page));
      if (page.length < PAGE_SIZE) break;
    }
    const gap = merger.missing();
    if (gap) {
      options.onSkip?.(gap);
      yield* deliver(merger.skipTo(gap.upTo));
    }
  }

  async function* run(): AsyncGenerator<E> {
    try {
      if (options.replay) yield* catchUp();
      for await (const signal of queue) {
        if (signal === RESYNC) {
          yield* catchUp(true);
          continue;
        }
        yield* deliver(merger.accept([signal.event]));
        if (merger.missing()) yield* catchUp();
      }
    } finally {
      release();
    }
  }

  const stream = run();
  return iteratorFrom({
    next: () => stream.next(),
    // Ends the queues first: the generator, waiting on one of them, can only then answer return().
    release: () => {
      release();
      return stream.return(undefined);
    },
  });
}
