import { EventEmitter } from 'node:events';
import { EventQueue } from './event-queue';
import type { Sequenced } from './stream-merge';

/** What a feed reads: one stream's events after `start`, in order and each once (a stream reader). */
export interface OpenedStream<E> {
  readonly start: number;
  readonly events: AsyncIterableIterator<E>;
  /**
   * True when the reader ended because it fell too far behind (its own queue overflowed while it
   * waited on the database): every member is then cut off as a slow consumer, and resumes.
   */
  overflowed(): boolean;
}

/** One subscriber's share of a feed. */
export interface FeedMember<E> {
  /**
   * The last sequence the feed had passed on when this member joined: the member receives every
   * event after it, and nothing before.
   */
  readonly start: number;
  /** The events after `start`. Returning it leaves the feed (the last to leave closes it). */
  readonly events: AsyncIterableIterator<E>;
  /** True once the member fell more than `maxQueued` events behind and was cut off. */
  overflowed(): boolean;
}

/**
 * One ordered reader per stream and instance, shared by every subscriber of the stream on it.
 * The reader (stream-reader.ts: pub/sub, gap filling from the database, resync after an outage)
 * is the costly part of a subscription, in memory and per event; with a doctor's 20 or 50 wall
 * screens it was run once per screen. Here it runs once, and each member only has a queue: the
 * feed passes every event to every member in the order it reads them, so each member sees the
 * stream in order, each event once, from the moment it joined.
 *
 * A member that needs events from before it joined (a cursor) reads them from the database up to
 * its `start` and then takes its queue (event-streams.ts), so the handover can neither skip nor
 * repeat one. A member whose queue grows past `maxQueued` is cut off alone (slow consumer); an
 * error of the reader ends every member with it, and the next subscriber opens a new feed.
 *
 * A member may carry a `watcher` (W): what its subscriber wants known about it while it is a
 * member (event-streams.ts: the delivery rows a transaction writes with its events).
 */
export class StreamFeeds<E extends Sequenced, W = never> {
  private readonly feeds = new Map<string, Promise<Feed<E, W>>>();
  /** The feeds whose reader is open, for counting their members. */
  private readonly opened = new Map<string, Feed<E, W>>();
  /** Emits 'joined' with the stream's name once a member has joined (tests wait on it). */
  readonly events = new EventEmitter();

  constructor(private readonly open: (stream: string) => Promise<OpenedStream<E>>) {
    this.events.setMaxListeners(0);
  }

  /** Joins the stream's feed, opening it when this instance has none. */
  async join(stream: string, maxQueued: number, watcher?: W): Promise<FeedMember<E>> {
    for (;;) {
      const feed = await (this.feeds.get(stream) ?? this.openFeed(stream));
      const member = feed.join(maxQueued, watcher);
      if (member) {
        this.events.emit('joined', stream);
        return member;
      }
      // That feed closed while this join waited for it (its last member had just left): open another.
    }
  }

  /** The members of the stream's feed on this instance. */
  memberCount(stream: string): number {
    return this.opened.get(stream)?.size ?? 0;
  }

  /** The watchers of the stream's members on this instance now. */
  watchersOf(stream: string): W[] {
    return this.opened.get(stream)?.watchers() ?? [];
  }

  private openFeed(stream: string): Promise<Feed<E, W>> {
    const opening: Promise<Feed<E, W>> = this.open(stream).then((events) => {
      const feed = new Feed<E, W>(events, () => {
        if (this.feeds.get(stream) === opening) this.feeds.delete(stream);
        if (this.opened.get(stream) === feed) this.opened.delete(stream);
      });
      this.opened.set(stream, feed);
      return feed;
    });
    this.feeds.set(stream, opening);
    opening.catch(() => {
      if (this.feeds.get(stream) === opening) this.feeds.delete(stream);
    });
    return opening;
  }
}

class Feed<E extends Sequenced, W> {
  private readonly members = new Set<Member<E, W>>();
  /** The last sequence passed on to the members. */
  private delivered: number;
  private closed = false;

  constructor(
    private readonly source: OpenedStream<E>,
    private readonly onClose: () => void,
  ) {
    this.delivered = source.start;
    void this.run();
  }

  get size(): number {
    return this.members.size;
  }

  /** A new member from the last event passed on; undefined once the feed has closed. */
  join(maxQueued: number, watcher: W | undefined): Member<E, W> | undefined {
    if (this.closed) return undefined;
    const member: Member<E, W> = new Member(this.delivered, maxQueued, watcher, () => this.leave(member));
    this.members.add(member);
    return member;
  }

  watchers(): W[] {
    const found: W[] = [];
    for (const member of this.members) if (member.watcher !== undefined) found.push(member.watcher);
    return found;
  }

  private leave(member: Member<E, W>): void {
    this.members.delete(member);
    if (this.members.size === 0) this.close();
  }

  /** Lets go of the reader (and its pub/sub subscription). */
  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    void this.source.events.return?.();
  }

  private async run(): Promise<void> {
    let failure: { readonly error: unknown } | undefined;
    try {
      for await (const event of this.source.events) {
        this.delivered = event.seq;
        for (const member of this.members) member.offer(event);
      }
    } catch (error) {
      failure = { error };
    }
    this.close();
    const cut = this.source.overflowed();
    for (const member of [...this.members]) member.endWith(failure, cut);
    this.members.clear();
  }
}

/** A member's queue: what the feed passed on and its subscriber has not taken yet. */
class Member<E, W> extends EventQueue<E> implements FeedMember<E> {
  private cut = false;

  /** `leave`: runs once when the queue ends (its subscriber left, it was cut off, or the feed ended). */
  constructor(
    readonly start: number,
    private readonly maxQueued: number,
    readonly watcher: W | undefined,
    leave: () => void,
  ) {
    super(leave);
  }

  get events(): AsyncIterableIterator<E> {
    return this;
  }

  overflowed(): boolean {
    return this.cut;
  }

  offer(event: E): void {
    this.push(event);
    if (this.size > this.maxQueued) {
      this.cut = true;
      this.end();
    }
  }

  /** No more events: pulls answer done, or fail with the reader's error; `cut`: as a slow consumer. */
  endWith(failure: { readonly error: unknown } | undefined, cut: boolean): void {
    this.cut ||= cut;
    if (failure) this.fail(failure.error);
    else this.end();
  }
}
