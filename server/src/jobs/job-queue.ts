import { z } from 'zod';
import type { Sql, SqlWrite, Statement } from '../platform/sql';
import { int8, jsonColumn, timestamp } from '../platform/sql-values';
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
  id: int8,
  kind: z.string(),
  payload: jsonColumn(z.unknown()),
  attempts: z.number().int(),
  created_at: timestamp,
});

/** Longest error text kept on a job (it is shown to operators, never sent anywhere). */
const MAX_ERROR_LENGTH = 500;

/**
 * When a job without a due time is due, in every statement that enqueues: at once, i.e. the
 * enqueueing moment cut to milliseconds, the column's precision. Stored as now(), it was rounded
 * to the nearest millisecond, half the time up, and a claim by a clock reading the same
 * millisecond (a worker nudged by the commit, or started right after it) did not see the job
 * until its next poll.
 */
const DUE_NOW = "date_trunc('milliseconds', now())";

const ENQUEUE_JOBS: Statement = {
  name: 'jobs_enqueue',
  text: `
    INSERT INTO jobs (kind, payload, dedupe_key, run_at)
    SELECT kind, payload, dedupe_key, coalesce(run_at, ${DUE_NOW})
    FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::timestamptz[]) AS j(kind, payload, dedupe_key, run_at)
    ON CONFLICT DO NOTHING`,
};

/**
 * Writes jobs in the caller's transaction (or alone), in one statement. A job whose dedupe key
 * exists already is not written again, which makes "once per doctor per day" hold across instances.
 */
export async function enqueueJobs(sql: Sql, jobs: readonly NewJob[]): Promise<void> {
  const write = jobsWrite(jobs);
  if (write) await sql.query(write.statement, write.values);
}

/** enqueueJobs as a statement to send (none for no jobs), for a transaction's last writes. */
export function jobsWrite(jobs: readonly NewJob[]): SqlWrite | undefined {
  if (jobs.length === 0) return undefined;
  return {
    statement: ENQUEUE_JOBS,
    values: [
      jobs.map((job) => job.kind),
      jobs.map((job) => JSON.stringify(job.payload)),
      jobs.map((job) => job.dedupeKey ?? null),
      jobs.map((job) => job.runAt?.toISOString() ?? null),
    ],
  };
}

const ENQUEUE_JOBS_RETURNING: Statement = {
  name: 'jobs_enqueue_returning',
  text: `${ENQUEUE_JOBS.text}
    RETURNING dedupe_key`,
};

/**
 * enqueueJobs, resolving with the dedupe keys of the jobs it wrote (not those that existed
 * already): a caller that records something per job (an audit row) records it once, even when it
 * runs again after a crash.
 */
export async function enqueueNewJobs(sql: Sql, jobs: ReadonlyArray<NewJob & { readonly dedupeKey: string }>): Promise<Set<string>> {
  if (jobs.length === 0) return new Set();
  const rows = await sql.query(ENQUEUE_JOBS_RETURNING, [
    jobs.map((job) => job.kind),
    jobs.map((job) => JSON.stringify(job.payload)),
    jobs.map((job) => job.dedupeKey),
    jobs.map((job) => job.runAt?.toISOString() ?? null),
  ]);
  return new Set(rows.map((row) => DedupeKeyRow.parse(row).dedupe_key));
}

const DedupeKeyRow = z.object({ dedupe_key: z.string() });

/**
 * A statement that writes jobs of one kind, each only where `condition` holds (one round trip,
 * and no job at all for the many that need none: a webhook fan-out only where an endpoint takes
 * the event). Its parameters: $1 the payloads (jsonb[]), $2 the dedupe keys (text[]), $3 the
 * times they are due (timestamptz[], null: now), then one array per extra column, unnested beside them; `condition` reads them as `j.<column>` and may
 * compose other modules' SQL fragments.
 */
export function enqueueWhereStatement(spec: {
  readonly name: string;
  readonly kind: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly condition: string;
}): Statement {
  const extra = spec.columns.map((column, index) => `$${index + 4}::${column.type}[]`).join(', ');
  const names = spec.columns.map((column) => column.name).join(', ');
  return {
    name: spec.name,
    text: `
    INSERT INTO jobs (kind, payload, dedupe_key, run_at)
    SELECT '${spec.kind}', j.payload, j.dedupe_key, coalesce(j.run_at, ${DUE_NOW})
    FROM unnest($1::jsonb[], $2::text[], $3::timestamptz[]${extra ? `, ${extra}` : ''}) AS j(payload, dedupe_key, run_at${names ? `, ${names}` : ''})
    WHERE ${spec.condition}
    ON CONFLICT DO NOTHING`,
  };
}

/** A job for conditionalJobsWrite: its payload, its dedupe key and the values of the statement's extra columns, in order. */
export interface ConditionalJob {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly dedupeKey: string;
  /** Not before then; default now. */
  readonly runAt?: Date;
  readonly values: readonly unknown[];
}

/**
 * An enqueueWhereStatement for these jobs, as a statement to send in the caller's transaction
 * (none for no jobs): the transaction's event tap hands it back as one of its last writes.
 */
export function conditionalJobsWrite(statement: Statement, jobs: readonly ConditionalJob[]): SqlWrite | undefined {
  if (jobs.length === 0) return undefined;
  const width = jobs[0]?.values.length ?? 0;
  const columns = Array.from({ length: width }, (_, index) => jobs.map((job) => job.values[index] ?? null));
  return {
    statement,
    values: [
      jobs.map((job) => JSON.stringify(job.payload)),
      jobs.map((job) => job.dedupeKey),
      jobs.map((job) => job.runAt?.toISOString() ?? null),
      ...columns,
    ],
  };
}

/**
 * Claims up to `limit` due jobs for this worker in one statement: pending ones whose time has
 * come, and running ones whose lease has expired (their worker died or hung). FOR UPDATE SKIP
 * LOCKED lets the workers of every instance claim side by side without taking a job twice; the
 * attempt counter is bumped at the claim, so a job whose worker dies mid-send still counts it.
 */
export async function claimJobs(
  sql: Sql,
  options: { readonly workerId: string; readonly now: Date; readonly leaseMs: number; readonly limit: number },
): Promise<ClaimedJob[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await sql.query(CLAIM_JOBS, [leaseUntil.toISOString(), options.workerId, options.now.toISOString(), options.limit]);
  return rows.map((raw) => {
    const row = ClaimedRow.parse(raw);
    return { id: row.id, kind: row.kind, payload: row.payload, attempts: row.attempts, createdAt: row.created_at };
  });
}

const CLAIM_JOBS: Statement = {
  name: 'jobs_claim',
  // RETURNING gives rows in the order they were updated, which is not the order they were chosen
  // in: the outer SELECT hands them to the worker oldest due first.
  text: `
    WITH claimed AS (
      UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_expires_at = $1::timestamptz,
                      locked_by = $2::text, updated_at = $3::timestamptz
      WHERE id IN (
        SELECT id FROM jobs
        WHERE status IN ('pending', 'running') AND run_at <= $3::timestamptz
          AND (status = 'pending' OR lease_expires_at <= $3::timestamptz)
        ORDER BY run_at, id LIMIT $4::int
        FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, payload, attempts, created_at, run_at)
    SELECT id, kind, payload, attempts, created_at FROM claimed ORDER BY run_at, id`,
};

/** A claimed job's outcome: done, skipped or dead (with the reason). */
export interface JobFinish {
  readonly job: ClaimedJob;
  readonly status: 'done' | 'skipped' | 'dead';
  readonly reason?: string;
  readonly at: Date;
}

/**
 * Ends claimed jobs, many in one statement (the worker gathers done and skipped ones), each only
 * while its own claim still holds it: if the lease expired and another worker claimed it again,
 * that worker's outcome counts.
 */
export async function finishJobs(sql: Sql, finishes: readonly JobFinish[]): Promise<void> {
  if (finishes.length === 0) return;
  await sql.query(FINISH_JOBS, [
    finishes.map((finish) => String(finish.job.id)),
    finishes.map((finish) => finish.job.attempts),
    finishes.map((finish) => finish.status),
    finishes.map((finish) => (finish.reason === undefined ? null : finish.reason.slice(0, MAX_ERROR_LENGTH))),
    finishes.map((finish) => finish.at.toISOString()),
  ]);
}

const FINISH_JOBS: Statement = {
  name: 'jobs_finish',
  text: `
    UPDATE jobs AS j SET status = f.status, last_error = f.reason, finished_at = f.at, updated_at = f.at,
                         lease_expires_at = NULL, locked_by = NULL
    FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::timestamptz[]) AS f(id, attempts, status, reason, at)
    WHERE j.id = f.id AND j.status = 'running' AND j.attempts = f.attempts`,
};

/** Puts a failed job back, due at `runAt`, keeping the failure's reason. Same fencing as finishJobs. */
export async function retryJob(sql: Sql, job: ClaimedJob, reason: string, runAt: Date, now: Date): Promise<void> {
  await sql.query(RETRY_JOB, [runAt.toISOString(), reason.slice(0, MAX_ERROR_LENGTH), now.toISOString(), String(job.id), job.attempts]);
}

const RETRY_JOB: Statement = {
  name: 'jobs_retry',
  text: `
    UPDATE jobs SET status = 'pending', run_at = $1::timestamptz, last_error = $2::text, updated_at = $3::timestamptz,
                    lease_expires_at = NULL, locked_by = NULL
    WHERE id = $4::bigint AND status = 'running' AND attempts = $5::int`,
};

/** Replaces a running job's payload, only while this claim still holds it (same fencing as finishJobs). */
export async function replaceJobPayload(sql: Sql, job: ClaimedJob, payload: Readonly<Record<string, unknown>>): Promise<void> {
  await sql.query(REPLACE_PAYLOAD, [JSON.stringify(payload), String(job.id), job.attempts]);
}

const REPLACE_PAYLOAD: Statement = {
  name: 'jobs_replace_payload',
  text: `UPDATE jobs SET payload = $1::jsonb WHERE id = $2::bigint AND status = 'running' AND attempts = $3::int`,
};

/**
 * Deletes settled jobs that finished before `doneBefore` (done, skipped) or `deadBefore` (dead:
 * kept longer, for operators to read why). Resolves with how many.
 */
export async function pruneFinishedJobs(sql: Sql, doneBefore: Date, deadBefore: Date): Promise<number> {
  const [row] = await sql.query(PRUNE_FINISHED, [doneBefore.toISOString(), deadBefore.toISOString()]);
  return PrunedRow.parse(row).deleted;
}

const PRUNE_FINISHED: Statement = {
  name: 'jobs_prune_finished',
  text: `
    WITH deleted AS (
      DELETE FROM jobs WHERE (status IN ('done', 'skipped') AND finished_at < $1::timestamptz)
                          OR (status = 'dead' AND finished_at < $2::timestamptz)
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
};

const PrunedRow = z.object({ deleted: z.number().int() });
