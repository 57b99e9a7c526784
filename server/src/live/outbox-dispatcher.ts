import { z } from 'zod';
import { Batcher } from '../platform/batcher';
import type { Clock } from '../platform/clock';
import type { SqlDatabase, Statement } from '../platform/sql';
import { int8, timestamp } from '../platform/sql-values';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { markCommitted, nowMs } from './commit-times';
import { decodeStoredEvent, type PendingEvent } from './outbox';
import type { TopicName } from './topics';
import type { AppPubSub } from './pubsub';

// Events claimed per transaction: a sweep after a long pub/sub outage drains in batches of this.
const BATCH_SIZE = 500;
// A publish that hangs (a half-open Redis connection) must not hold the claim's row locks and
// its database connection: give up, roll back, let the next sweep retry.
const PUBLISH_TIMEOUT_MS = 2000;
// Pruning is a catalog lookup and a DROP of each whole day past retention (or nothing): cheap, and
// retention is measured in days. The same run prepares the coming days' partitions.
const PRUNE_INTERVAL_MS = 10 * 60_000;
// Rows per DELETE in the partitions that are not a day's (the default one and the pre-partitioning history).
const PRUNE_BATCH_SIZE = 1000;
/** How many days of event partitions exist ahead of today's (prepared at startup and with each prune). */
export const EVENT_PARTITION_DAYS_AHEAD = 3;
const CLAIM_TIMEOUT_MS = 15_000;

const ClaimedRow = z.object({ id: int8, created_at: timestamp, stream: z.string(), seq: int8, topic: z.string(), payload: z.unknown() });
type ClaimedRow = z.infer<typeof ClaimedRow>;

/** The sweep's claim: unpublished events, oldest first per stream, that no other sweep holds. */
const CLAIM_UNPUBLISHED: Statement = {
  name: 'outbox_claim_unpublished',
  text: `
    SELECT id, created_at, stream, seq, topic, payload FROM events
    WHERE published_at IS NULL
    ORDER BY stream, seq LIMIT $1::int FOR UPDATE SKIP LOCKED`,
};

/**
 * Creates the day partitions of `events` from the clock's day to EVENT_PARTITION_DAYS_AHEAD after
 * it (migration 20261218000000_events_partitioned_by_day; it runs as the tables' owner).
 */
const PREPARE_PARTITIONS: Statement = {
  name: 'events_prepare_partitions',
  text: 'SELECT events_prepare_partitions($1::timestamptz, $2::int) AS created',
};

const PreparedRow = z.object({ created: z.number().int() });

/**
 * Drops every day partition wholly older than the cutoff (none of its events unpublished), and
 * deletes a batch of published events older than it from the partitions that are not a day's.
 */
const PRUNE: Statement = {
  name: 'events_prune',
  text: 'SELECT dropped_partitions, deleted_events FROM events_prune($1::timestamptz, $2::int)',
};

const PrunedRow = z.object({ dropped_partitions: z.number().int(), deleted_events: z.number().int() });

/** Drops the days events_prune detached, in a transaction of its own: no lock on `events` while their files go. */
const DROP_DETACHED: Statement = { name: 'events_drop_detached', text: 'SELECT events_drop_detached() AS dropped' };

const DroppedRow = z.object({ dropped: z.number().int() });

/** What one prune did. */
export interface PruneResult {
  /** Whole days of events dropped. */
  readonly droppedDays: number;
  /** Events deleted one by one (from the default and history partitions). */
  readonly deletedEvents: number;
}

/**
 * How long published events wait to be marked together (see markPublished). Longer means fewer
 * UPDATEs under load (at 200 bookings/s, one per ten bookings), and more events a sweep meets
 * still unmarked and publishes once more (at most this long's worth per sweep; dropped by sequence).
 */
const MARK_COALESCE_MS = 50;

/**
 * The ids, and the oldest created_at among them: the table is partitioned by day of created_at, so
 * the bound lets PostgreSQL look for the ids only in the partitions from that day on (pruned when
 * the statement starts), not in every retained day's.
 */
const MARK_PUBLISHED: Statement = {
  name: 'outbox_mark_published',
  text: 'UPDATE events SET published_at = now() WHERE id = ANY($1::bigint[]) AND created_at >= $2::timestamptz AND published_at IS NULL',
};

/** An event to mark published: its id, and its created_at (its partition's key). */
interface Mark {
  readonly id: string;
  readonly createdAt: Date;
}

function markParams(marks: readonly Mark[]): [string[], string] {
  const oldest = marks.reduce((min, mark) => Math.min(min, mark.createdAt.getTime()), Number.POSITIVE_INFINITY);
  return [marks.map((mark) => mark.id), new Date(oldest).toISOString()];
}

/**
 * Moves committed events from the outbox (the `events` table) to pub/sub, and prunes old ones
 * (by dropping whole days: the table is partitioned by day, see prune).
 *
 * - Main path: right after a change commits, `publishCommitted(events)` publishes its events
 *   from memory and marks them published (the mutation answers without waiting for it).
 * - Safety net: every OUTBOX_SWEEP_INTERVAL, and at once when the Redis publisher reconnects,
 *   the sweep publishes whatever is still unpublished (an instance died between commit and
 *   publish, or pub/sub was down).
 * - Sweeps claim events with FOR UPDATE SKIP LOCKED in a transaction that marks them published,
 *   so two instances' sweeps do not publish one event twice. Publishing is still at least once
 *   (a claim can roll back after Redis accepted a message; a sweep can meet an event the main
 *   path is publishing), which is why subscribers drop duplicates by sequence (stream-reader.ts).
 */
export class OutboxDispatcher {
  private readonly inFlight = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private readonly marks = new Batcher<Mark>(MARK_COALESCE_MS, async (batch) => {
    await this.sql.query(MARK_PUBLISHED, markParams(batch));
  });
  private stopped = false;
  private readonly onPublisherReady = () => void this.track(this.sweep());

  constructor(
    private readonly sql: SqlDatabase,
    private readonly pubSub: AppPubSub,
    private readonly logger: Logger,
    private readonly options: Config['outbox'],
    private readonly clock: Clock,
  ) {}

  /** Starts the periodic sweep and pruning; sweeps once at once (events left by a crash). */
  start(): void {
    this.sweepTimer = setInterval(() => void this.track(this.sweep()), this.options.sweepIntervalMs);
    this.pruneTimer = setInterval(() => void this.track(this.prune()), PRUNE_INTERVAL_MS);
    this.sweepTimer.unref();
    this.pruneTimer.unref();
    this.pubSub.events.on('publisher-ready', this.onPublisherReady);
    void this.track(this.sweep());
    void this.track(this.prune());
  }

  /**
   * The post-commit path: publishes these just-committed events from memory, in order, then marks
   * them published with one UPDATE. No claim transaction here (it doubled a booking's database
   * round trips and held a connection across the publish): if another instance's sweep publishes
   * one of them meanwhile, subscribers drop the duplicate by sequence; if publishing fails or the
   * process dies first, they stay unpublished for the sweep. Never throws. The commit time rides
   * beside the live message (commit-times.ts), never in the payload.
   */
  async publishCommitted(events: ReadonlyArray<PendingEvent<TopicName>>): Promise<void> {
    if (!this.options.promptDispatch || this.stopped || events.length === 0) return;
    await this.track(this.publishNow(events, nowMs()));
  }

  private async publishNow(events: ReadonlyArray<PendingEvent<TopicName>>, committedAtMs: number): Promise<void> {
    try {
      // Sent together, as the sweep sends its batch: one Redis connection keeps them in order and
      // pipelines them, so a booking's practice-stream event does not wait for the answer to its
      // doctor-stream one. Should one fail, none is marked and the sweep publishes them again
      // (subscribers drop what they already have, by sequence).
      await Promise.all(
        events.map((event) => {
          // One payload object per event: every local subscriber shares it (subscription-fanout.ts).
          markCommitted(event.payload, committedAtMs);
          return withTimeout(this.pubSub.publish(event.stream, event.message, committedAtMs), PUBLISH_TIMEOUT_MS);
        }),
      );
      await this.markPublished(events.map((event) => ({ id: String(event.eventId), createdAt: event.createdAt })));
    } catch (error) {
      this.logger.warn(
        { err: error, streams: [...new Set(events.map((event) => event.stream))] },
        'could not publish committed events; the sweep will retry',
      );
    }
  }

  /**
   * Marks events published, MARK_COALESCE_MS after the first of a batch: the marks of every event
   * published meanwhile go in the same UPDATE, so under a rush of bookings this is one statement
   * for many of them rather than one each. An event unmarked for that long is at worst published
   * once more by a sweep that meets it (subscribers drop the duplicate by sequence). Resolves once
   * these ids are marked.
   */
  private markPublished(marks: readonly Mark[]): Promise<void> {
    return this.marks.add(marks);
  }

  /** Publishes every unpublished event of every stream; resolves with how many it published. */
  sweep(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    // One sweep at a time per instance: overlapping ones would only skip each other's rows.
    this.sweeping ??= this.dispatch().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /**
   * Prepares the coming days' partitions of the outbox, then removes published events older than
   * EVENT_RETENTION (before `now`): whole days at a time by dropping their partitions, row by row
   * only in the default and history partitions. The day straddling the cutoff is kept until it
   * ends, so an event stays resumable at least EVENT_RETENTION and at most one day longer.
   */
  async prune(now: Date = this.clock()): Promise<PruneResult> {
    const cutoff = new Date(now.getTime() - this.options.eventRetentionSeconds * 1000);
    let droppedDays = 0;
    let deletedEvents = 0;
    try {
      const { created } = PreparedRow.parse((await this.sql.query(PREPARE_PARTITIONS, [now.toISOString(), EVENT_PARTITION_DAYS_AHEAD]))[0]);
      if (created > 0) this.logger.info({ created }, 'created daily event partitions');
      for (;;) {
        const row = PrunedRow.parse((await this.sql.query(PRUNE, [cutoff.toISOString(), PRUNE_BATCH_SIZE]))[0]);
        droppedDays += row.dropped_partitions;
        deletedEvents += row.deleted_events;
        if (row.deleted_events < PRUNE_BATCH_SIZE || this.stopped) break;
      }
      // Also what an earlier run detached but could not drop (a lock timeout, a crash in between).
      DroppedRow.parse((await this.sql.query(DROP_DETACHED, []))[0]);
      if (droppedDays > 0 || deletedEvents > 0) {
        this.logger.info({ droppedDays, deletedEvents, cutoff: cutoff.toISOString() }, 'pruned old events');
      }
    } catch (error) {
      this.logger.error({ err: error }, 'could not prune old events');
    }
    return { droppedDays, deletedEvents };
  }

  /** Resolves once the dispatches and prunes running now have finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stops the timers and waits for dispatches already running (call before closing pub/sub). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    clearInterval(this.pruneTimer);
    this.pubSub.events.off('publisher-ready', this.onPublisherReady);
    await this.idle();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** The sweep: claims, publishes and marks batches until nothing claimable is left or a publish fails. */
  private async dispatch(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const { claimed, published } = await this.dispatchBatch();
        total += published;
        if (claimed < BATCH_SIZE || published < claimed || this.stopped) break;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'outbox dispatch failed; the sweep will retry');
    }
    return total;
  }

  /**
   * A transaction of its own on the platform's statements (not Transactions.run: it emits nothing,
   * and Transactions publishes through this very dispatcher).
   */
  private dispatchBatch(): Promise<{ claimed: number; published: number }> {
    return this.sql.transaction(
      async (tx) => {
        const rows = (await tx.query(CLAIM_UNPUBLISHED, [BATCH_SIZE])).map((raw) => ClaimedRow.parse(raw));
        if (rows.length === 0) return { claimed: 0, published: 0 };
        // Sent together: one Redis connection keeps them in order and pipelines them.
        const results = await Promise.allSettled(rows.map((row) => withTimeout(this.publishRow(row), PUBLISH_TIMEOUT_MS)));
        // A row that cannot be decoded is counted as handled: publishing it again would never help,
        // and subscribers skip the gap it leaves (decodeStoredEvent has logged it).
        const published: Mark[] = [];
        for (const [index, result] of results.entries()) {
          const row = rows[index]!;
          if (result.status === 'fulfilled') published.push({ id: String(row.id), createdAt: row.created_at });
        }
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) {
          this.logger.warn(
            { err: failure.reason, failed: rows.length - published.length },
            'could not publish outbox events; the sweep will retry',
          );
        }
        if (published.length > 0) await tx.query(MARK_PUBLISHED, markParams(published));
        return { claimed: rows.length, published: published.length };
      },
      { timeoutMs: CLAIM_TIMEOUT_MS },
    );
  }

  private async publishRow(row: ClaimedRow): Promise<void> {
    const message = decodeStoredEvent(row, (seq, error) =>
      this.logger.error({ stream: row.stream, seq, reason: error.message }, 'outbox event does not match its topic; not published'),
    );
    if (message) await this.pubSub.publish(row.stream, message);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
