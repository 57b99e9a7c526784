import { randomUUID } from 'node:crypto';
import { Batcher } from '../platform/batcher';
import type { Clock } from '../platform/clock';
import type { Sql } from '../platform/sql';
import type { Logger } from '../platform/logger';
import { retryDelayMs } from './backoff';
import { claimJobs, finishJobs, pruneFinishedJobs, replaceJobPayload, retryJob, type ClaimedJob, type JobFinish } from './job-queue';
import { PermanentJobError, type JobContext, type JobHandler, type JobResult } from './job-types';

const DAY_MS = 86_400_000;
/** Settled jobs are kept this long (done, skipped: 7 days; dead: 30 days), then pruned every PRUNE_INTERVAL_MS. */
const KEEP_DONE_MS = 7 * DAY_MS;
const KEEP_DEAD_MS = 30 * DAY_MS;
const PRUNE_INTERVAL_MS = 10 * 60_000;
/**
 * How long a commit's nudge (nudgeSoon) waits for the commits behind it, and a finished job for
 * the jobs finishing after it: under a rush of bookings one claim takes several bookings' mail
 * and one UPDATE records several outcomes, instead of a statement each. A confirmation leaves
 * this much later, which nobody can tell.
 */
const COALESCE_MS = 20;

export interface JobWorkerOptions {
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly retryBaseMs: number;
  readonly retryLimit: number;
}

interface RegisteredHandler {
  run(payload: unknown, context: JobContext): Promise<JobResult>;
  retryAt(context: JobContext, error: Error, defaultRetryAt: Date | undefined): Date | undefined;
  onFailure(payload: unknown, context: JobContext, error: Error, retryAt: Date | undefined): Promise<void>;
}

/**
 * Runs the jobs of every instance's queue (the `jobs` table): polls every JOB_POLL_INTERVAL,
 * and at once when a commit on this instance enqueued something (nudge). Claims with a lease
 * (job-queue.ts), runs up to JOB_CONCURRENCY jobs at once, and settles each: done, skipped, due
 * again after a backoff with jitter, or dead with its reason. Time comes from `clock`, so tests
 * move it (a reminder due in 24 h) without waiting.
 */
export class JobWorker {
  readonly workerId = `worker-${randomUUID()}`;
  private readonly handlers = new Map<string, RegisteredHandler>();
  private readonly running = new Set<Promise<void>>();
  /** Outcomes of finished jobs waiting to be recorded together (finishes); they hold no slot. */
  private readonly recording = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private readonly finishes = new Batcher<JobFinish>(COALESCE_MS, (batch) => finishJobs(this.sql, batch));
  private pruneTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;
  private again = false;
  /** A look found every slot busy and claimed nothing: the next finished job looks again. */
  private slotWanted = false;
  private stopped = false;

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly options: JobWorkerOptions,
    private readonly clock: Clock,
  ) {}

  /** Adds the handler of one kind of job; its payload is checked against its schema before each run. */
  register<P>(handler: JobHandler<P>): void {
    if (this.handlers.has(handler.kind)) throw new Error(`Job kind ${handler.kind} is registered twice`);
    this.handlers.set(handler.kind, {
      run: (payload, context) => handler.run(handler.payload.parse(payload), context),
      retryAt: (context, error, fallback) => (handler.retryAt ? handler.retryAt(context, error, fallback) : fallback),
      onFailure: async (payload, context, error, retryAt) => {
        const parsed = handler.payload.safeParse(payload);
        if (parsed.success && handler.onFailure) await handler.onFailure(parsed.data, context, error, retryAt);
      },
    });
  }

  /** Starts polling, and looks at once (jobs left by an instance that died). */
  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    this.nudge();
  }

  /** Deletes long-settled jobs; never throws. */
  async prune(): Promise<number> {
    const now = this.clock().getTime();
    try {
      return await pruneFinishedJobs(this.sql, new Date(now - KEEP_DONE_MS), new Date(now - KEEP_DEAD_MS));
    } catch (error) {
      this.logger.error({ err: error }, 'could not prune finished jobs');
      return 0;
    }
  }

  /** Looks for due jobs now (called after a commit that enqueued some). Never throws. */
  nudge(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true; // one more look once this one is done: what it may have missed
      return;
    }
    void this.startTick();
  }

  /** nudge, COALESCE_MS from the first call: the nudges of a rush of commits become one look. */
  nudgeSoon(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.nudge();
    }, COALESCE_MS);
  }

  /**
   * Claims and runs due jobs until none is left, and resolves when they are settled (tests; with
   * an injected clock, "everything due by now has been sent"). Each round starts a look of its
   * own after any running one, so a job written before the call is always seen. Returns how many ran.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      while (this.ticking) await this.ticking;
      const ran = await this.startTick();
      await Promise.allSettled([...this.running]);
      await Promise.allSettled([...this.recording]);
      total += ran;
      if (ran === 0 && this.running.size === 0 && this.recording.size === 0 && !this.ticking) return total;
    }
  }

  private startTick(): Promise<number> {
    const tick: Promise<number> = this.tick().finally(() => {
      if (this.ticking === tick) this.ticking = undefined;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
    this.ticking = tick;
    return tick;
  }

  /** Stops claiming and waits for the jobs running now (call before closing the database). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    clearTimeout(this.soon);
    await this.ticking;
    await Promise.allSettled([...this.running]);
    await Promise.allSettled([...this.recording]);
  }

  private async tick(): Promise<number> {
    let claimedTotal = 0;
    try {
      for (;;) {
        const free = this.options.concurrency - this.running.size;
        if (this.stopped) break;
        if (free <= 0) {
          // Every slot is busy: the next job to finish looks again (see track).
          this.slotWanted = true;
          break;
        }
        const now = this.clock();
        const jobs = await claimJobs(this.sql, { workerId: this.workerId, now, leaseMs: this.options.leaseMs, limit: free });
        claimedTotal += jobs.length;
        for (const job of jobs) this.track(this.runJob(job));
        if (jobs.length < free) break;
        // Full batch: wait for a slot, then claim again.
        await Promise.race([...this.running]);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'could not claim jobs; the next poll retries');
    }
    return claimedTotal;
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => {
      this.running.delete(work);
      // Only when a look found no free slot: otherwise nothing is known to wait (new jobs nudge
      // the worker themselves, the rest is the poll's), and a look per finished job was one more
      // claim statement per booking.
      if (this.slotWanted) {
        this.slotWanted = false;
        this.nudge();
      }
    });
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const context: JobContext = {
      jobId: String(job.id),
      attempt: job.attempts,
      now: this.clock(),
      createdAt: job.createdAt,
      replacePayload: (payload) => replaceJobPayload(this.sql, job, payload),
    };
    const handler = this.handlers.get(job.kind);
    const log = { jobId: context.jobId, kind: job.kind, attempt: job.attempts };
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind ${job.kind}`);
      const result = await handler.run(job.payload, context);
      const at = this.clock();
      const finish: JobFinish =
        result.outcome === 'done' ? { job, status: 'done', at } : { job, status: 'skipped', reason: result.reason, at };
      // The slot is free once the work is done; its outcome is recorded with others' (COALESCE_MS).
      const recorded = this.finishes.add([finish]).then(
        () => this.logger.debug({ ...log, outcome: result.outcome }, 'job finished'),
        (error: unknown) => this.failed(job, handler, context, error),
      );
      this.recording.add(recorded);
      void recorded.finally(() => this.recording.delete(recorded));
    } catch (caught) {
      await this.failed(job, handler, context, caught);
    }
  }

  private async failed(job: ClaimedJob, handler: RegisteredHandler | undefined, context: JobContext, caught: unknown): Promise<void> {
    await this.settleFailure(job, handler, context, caught instanceof Error ? caught : new Error(String(caught))).catch((error: unknown) =>
      // The lease runs out and another worker tries again: nothing is lost.
      this.logger.error({ jobId: context.jobId, kind: job.kind, attempt: job.attempts, err: error }, 'could not record a job failure'),
    );
  }

  private async settleFailure(job: ClaimedJob, handler: RegisteredHandler | undefined, context: JobContext, error: Error): Promise<void> {
    const now = this.clock();
    const fallback =
      error instanceof PermanentJobError || job.attempts >= this.options.retryLimit
        ? undefined
        : new Date(now.getTime() + retryDelayMs(job.attempts, this.options.retryBaseMs));
    const retryAt = error instanceof PermanentJobError || !handler ? undefined : handler.retryAt(context, error, fallback);
    if (handler) await handler.onFailure(job.payload, context, error, retryAt);
    // Reasons name the failure (a status code, "connection refused"), never a message's content;
    // an SMTP error may quote the recipient, so addresses are masked before it is kept or logged.
    const reason = redactAddresses(`${error.name}: ${error.message}`);
    const log = { jobId: context.jobId, kind: job.kind, attempt: job.attempts, reason };
    if (retryAt) {
      await retryJob(this.sql, job, reason, retryAt, now);
      this.logger.warn({ ...log, retryAt: retryAt.toISOString() }, 'job failed; retrying later');
    } else {
      await finishJobs(this.sql, [{ job, status: 'dead', reason, at: now }]);
      this.logger.error(log, 'job failed for good (dead)');
    }
  }
}

/** "550 <ana@example.org> rejected" -> "550 <address> rejected". */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>@"',;:]+@[^\s<>@"',;:]+/g, 'address');
}
