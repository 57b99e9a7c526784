import type { z } from 'zod';

/** What a handler is told about the job it runs. */
export interface JobContext {
  readonly jobId: string;
  /** 1 on the first try. */
  readonly attempt: number;
  /** The worker's clock (injected in tests): "now" for every time rule of the handler. */
  readonly now: Date;
  /** When the job was enqueued (in the transaction of its change). */
  readonly createdAt: Date;
  /**
   * Replaces this job's stored payload while the job is still this worker's (e.g. to erase a
   * secret once it has been sent, so the row no longer holds it). The payload must pass the
   * handler's schema.
   */
  replacePayload(payload: Readonly<Record<string, unknown>>): Promise<void>;
}

/** How a run ended when it did not throw. `skipped` keeps its reason (a reminder for a cancelled visit). */
export type JobResult = { readonly outcome: 'done' } | { readonly outcome: 'skipped'; readonly reason: string };

export const DONE: JobResult = { outcome: 'done' };

/** A failure that no retry can mend (no such appointment any more): the job is dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * One kind of job: the schema its stored payload must pass (checked before every run: the row is
 * database JSON) and what running it does. A throw is a failed attempt, retried with backoff.
 */
export interface JobHandler<P> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  run(payload: P, context: JobContext): Promise<JobResult>;
  /**
   * When to try again after a failed attempt; undefined: the job is dead. Unset: exponential
   * backoff until JOB_RETRY_LIMIT attempts (webhooks retry for a time window instead).
   */
  retryAt?(context: JobContext, error: Error, defaultRetryAt: Date | undefined): Date | undefined;
  /** Runs after an attempt failed, with the next attempt's time (undefined: dead), e.g. to record a status code. */
  onFailure?(payload: P, context: JobContext, error: Error, retryAt: Date | undefined): Promise<void>;
}

/** A job to write, in the transaction of the change it belongs to. */
export interface NewJob {
  readonly kind: string;
  /** Plain JSON: dates as ISO strings. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Not before then; default now. */
  readonly runAt?: Date;
  /** A second job with the same key is not written (ON CONFLICT DO NOTHING). */
  readonly dedupeKey?: string;
}
