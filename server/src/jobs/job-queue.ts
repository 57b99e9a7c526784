import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import type { Sql, Statement } from '../platform/sql';
import type { NewJob } from './job-types';

/** A job's state: pending (due at run_at), running (leased), then done, skipped or dead. */
export type JobStatus = 'pending' | 'running' | 'done' | 'skipped' | 'dead';

/** A job a worker holds: its lease is valid until the worker finishes it or the lease expires. */
export interface ClaimedJob {
  readonly id: bigint;
  readonly kind: string;
  readonly payload: unknown;
  /** This attempt's number (1 on the first try); also the claim's fencing token. */
  readonly attempts: number;
  readonly createdAt: Date;
}

const ClaimedRow = z.object({
  id: z.bigint(),
  kind: z.string(),
  payload: z.unknown(),
  attempts: z.number().int(),
  created_at: z.date(),
});

/** Longest error text kept on a job (it is shown to operators, never sent anywhere). */
const MAX_ERROR_LENGTH = 500;

const ENQUEUE_JOBS: Statement = {
  name: 'jobs_enqueue',
  text: `
    INSERT INTO jobs (kind, payload, dedupe_key, run_at)
    SELECT kind, payload, dedupe_key, coalesce(run_at, now())
    FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::timestamptz[]) AS j(kind, payload, dedupe_key, run_at)
    ON CONFLICT DO NOTHING`,
};

/**
 * Writes jobs in the caller's transaction (or alone), in one statement. A job whose dedupe key
 * exists already is not written again, which makes "once per doctor per day" hold across instances.
 */
export async function enqueueJobs(sql: Sql, jobs: readonly NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await sql.query(ENQUEUE_JOBS, [
    jobs.map((job) => job.kind),
    jobs.map((job) => JSON.stringify(job.payload)),
    jobs.map((job) => job.dedupeKey ?? null),
    jobs.map((job) => job.runAt?.toISOString() ?? null),
  ]);
}

/**
 * Claims up to `limit` due jobs for this worker in one statement: pending ones whose time has
 * come, and running ones whose lease has expired (their worker died or hung). FOR UPDATE SKIP
 * LOCKED lets the workers of every instance claim side by side without taking a job twice; the
 * attempt counter is bumped at the claim, so a job whose worker dies mid-send still counts it.
 */
export async function claimJobs(
  prisma: PrismaClient,
  options: { readonly workerId: string; readonly now: Date; readonly leaseMs: number; readonly limit: number },
): Promise<ClaimedJob[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await prisma.$queryRaw<unknown[]>`
    UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_expires_at = ${leaseUntil},
                    locked_by = ${options.workerId}, updated_at = ${options.now}
    WHERE id IN (
      SELECT id FROM jobs
      WHERE status IN ('pending', 'running') AND run_at <= ${options.now}
        AND (status = 'pending' OR lease_expires_at <= ${options.now})
      ORDER BY run_at, id LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, payload, attempts, created_at`;
  return rows.map((raw) => {
    const row = ClaimedRow.parse(raw);
    // Raw queries on the embedded database hand jsonb back as text.
    const payload: unknown = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    return { id: row.id, kind: row.kind, payload, attempts: row.attempts, createdAt: row.created_at };
  });
}

/**
 * Ends a claimed job as done or skipped (with the reason). Only while this claim still holds it:
 * if the lease expired and another worker claimed it again, that worker's outcome counts.
 */
export async function finishJob(
  prisma: PrismaClient,
  job: ClaimedJob,
  outcome: { readonly status: 'done' | 'skipped' | 'dead'; readonly reason?: string },
  now: Date,
): Promise<void> {
  const reason = outcome.reason === undefined ? null : outcome.reason.slice(0, MAX_ERROR_LENGTH);
  await prisma.$executeRaw`
    UPDATE jobs SET status = ${outcome.status}, last_error = ${reason}, finished_at = ${now}, updated_at = ${now},
                    lease_expires_at = NULL, locked_by = NULL
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempts}`;
}

/** Puts a failed job back, due at `runAt`, keeping the failure's reason. Same fencing as finishJob. */
export async function retryJob(prisma: PrismaClient, job: ClaimedJob, reason: string, runAt: Date, now: Date): Promise<void> {
  await prisma.$executeRaw`
    UPDATE jobs SET status = 'pending', run_at = ${runAt}, last_error = ${reason.slice(0, MAX_ERROR_LENGTH)}, updated_at = ${now},
                    lease_expires_at = NULL, locked_by = NULL
    WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempts}`;
}

/**
 * Deletes settled jobs that finished before `doneBefore` (done, skipped) or `deadBefore` (dead:
 * kept longer, for operators to read why). Resolves with how many.
 */
export async function pruneFinishedJobs(prisma: PrismaClient, doneBefore: Date, deadBefore: Date): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM jobs WHERE (status IN ('done', 'skipped') AND finished_at < ${doneBefore})
                        OR (status = 'dead' AND finished_at < ${deadBefore})`;
}
