// The job queue against real PostgreSQL, with two workers on two connections pools standing for
// two instances: every job runs once (FOR UPDATE SKIP LOCKED), a job whose worker died is run
// again once its lease has expired, and a job that keeps failing is dead after the limit with
// its reason. Clocks are injected: no waiting.
import { z } from 'zod';
import { createOwnDatabase, type OwnDatabase } from '../../test/helpers/own-database';
import { systemClock } from '../platform/clock';
import { openDatabase, type Database } from '../platform/database';
import { createLogger } from '../platform/logger';
import type { Statement } from '../platform/sql';
import { claimJobs, enqueueJobs, finishJobs } from './job-queue';
import { DONE, type JobHandler } from './job-types';
import { JobWorker, type JobWorkerOptions } from './job-worker';

const logger = createLogger({ logLevel: 'silent' });
const OPTIONS: JobWorkerOptions = { leaseMs: 1000, pollIntervalMs: 60_000, concurrency: 4, retryBaseMs: 1000, retryLimit: 3 };
const Payload = z.object({ n: z.number().int() });

describe('the job queue on PostgreSQL', () => {
  let database: OwnDatabase;
  let first: Database;
  let second: Database;

  beforeAll(async () => {
    database = await createOwnDatabase('careline_test_jobs');
    const config = {
      url: database.url,
      migrationUrl: undefined,
      replicaUrl: undefined,
      poolSize: 4,
      preparedStatements: true,
      dataDir: '/nonexistent',
    };
    first = await openDatabase(config, logger);
    second = await openDatabase(config, logger);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });
  beforeEach(async () => {
    await first.prisma.$executeRaw`DELETE FROM jobs`;
  });

  const handler = (kind: string, run: (n: number) => Promise<void>): JobHandler<{ n: number }> => ({
    kind,
    payload: Payload,
    async run(payload) {
      await run(payload.n);
      return DONE;
    },
  });

  it('runs each of 200 jobs exactly once across two instances', async () => {
    const seen: number[] = [];
    const kind = 'test.once';
    await enqueueJobs(
      first.sql,
      Array.from({ length: 200 }, (_, n) => ({ kind, payload: { n } })),
    );
    const workers = [new JobWorker(first.sql, logger, OPTIONS, systemClock), new JobWorker(second.sql, logger, OPTIONS, systemClock)];
    for (const worker of workers) worker.register(handler(kind, async (n) => void seen.push(n)));
    await Promise.all(workers.map((worker) => worker.drain()));
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
    const [row] = await first.prisma.$queryRaw<Array<{ done: bigint }>>`SELECT count(*) AS done FROM jobs WHERE status = 'done'`;
    expect(Number(row?.done)).toBe(200);
    // Settled jobs are kept a week, then pruned.
    expect(await workers[0]!.prune()).toBe(0);
    const weekLater = new JobWorker(first.sql, logger, OPTIONS, () => new Date(Date.now() + 8 * 86_400_000));
    expect(await weekLater.prune()).toBe(200);
  });

  it('makes a job enqueued without a due time due at once, never in the next millisecond', async () => {
    // run_at was now() rounded to the column's milliseconds, so half the time it lay after the
    // moment of enqueueing, and a claim by a clock reading that same millisecond missed the job.
    const LATE: Statement = {
      name: 'test_jobs_late',
      text: "SELECT count(*)::int AS late FROM jobs WHERE kind = 'test.due' AND run_at > now()",
    };
    for (let n = 0; n < 20; n += 1) {
      const late = await first.sql.transaction(
        async (sql) => {
          await enqueueJobs(sql, [{ kind: 'test.due', payload: { n } }]);
          return sql.query(LATE, []);
        },
        { timeoutMs: 5_000 },
      );
      expect(late).toEqual([{ late: 0 }]);
    }
  });

  it('runs a job again once the lease of a worker that died holding it has expired', async () => {
    const kind = 'test.lease';
    const now = new Date();
    await enqueueJobs(first.sql, [{ kind, payload: { n: 1 }, runAt: now }]);
    // An instance claims it and dies before finishing: nothing but its lease remains.
    expect(await claimJobs(first.sql, { workerId: 'dead-instance', now, leaseMs: 1000, limit: 10 })).toHaveLength(1);
    let at = now;
    const ran: number[] = [];
    const survivor = new JobWorker(second.sql, logger, OPTIONS, () => at);
    survivor.register(handler(kind, async (n) => void ran.push(n)));
    await survivor.drain();
    expect(ran).toEqual([]); // the lease still holds
    at = new Date(now.getTime() + 1500);
    await survivor.drain();
    expect(ran).toEqual([1]);
    const job = await first.prisma.job.findFirstOrThrow({ where: { kind } });
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('records outcomes together, each only while its own claim holds the job', async () => {
    const kind = 'test.finish';
    const now = new Date();
    await enqueueJobs(
      first.sql,
      [1, 2, 3].map((n) => ({ kind, payload: { n }, runAt: now })),
    );
    const claimed = await claimJobs(first.sql, { workerId: 'slow-instance', now, leaseMs: 1000, limit: 10 });
    expect(claimed).toHaveLength(3);
    const [late, done, skipped] = claimed;
    // The first job's lease runs out and another worker claims it again (attempt 2) before the
    // slow instance records its outcome: that late outcome must not overwrite the new claim.
    const reclaimed = await claimJobs(second.sql, { workerId: 'other', now: new Date(now.getTime() + 1500), leaseMs: 1000, limit: 1 });
    expect(reclaimed.map((job) => job.id)).toEqual([late!.id]);
    await finishJobs(first.sql, [
      { job: late!, status: 'done', at: now },
      { job: done!, status: 'done', at: now },
      { job: skipped!, status: 'skipped', reason: 'patient opted out', at: now },
    ]);
    const rows = await first.prisma.job.findMany({ where: { kind }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.status, row.attempts, row.lastError])).toEqual([
      ['running', 2, null],
      ['done', 1, null],
      ['skipped', 1, 'patient opted out'],
    ]);
  });

  it('retries with backoff, then keeps the job dead with its reason after JOB_RETRY_LIMIT attempts', async () => {
    const kind = 'test.failing';
    let at = new Date();
    await enqueueJobs(first.sql, [{ kind, payload: { n: 7 }, runAt: at }]);
    const worker = new JobWorker(first.sql, logger, OPTIONS, () => at);
    let attempts = 0;
    worker.register(
      handler(kind, async () => {
        attempts += 1;
        throw new Error('relay refused (550)');
      }),
    );
    await worker.drain();
    const retrying = await first.prisma.job.findFirstOrThrow({ where: { kind } });
    expect(retrying.status).toBe('pending');
    // Equal jitter: between half and all of the base after the first failure.
    const delay = retrying.runAt.getTime() - at.getTime();
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(delay).toBeLessThanOrEqual(1000);
    for (let round = 0; round < 5; round += 1) {
      at = new Date(at.getTime() + 10_000);
      await worker.drain();
    }
    expect(attempts).toBe(3);
    const dead = await first.prisma.job.findFirstOrThrow({ where: { kind } });
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.lastError).toContain('relay refused (550)');
  });

  it('runs a job that came while every slot was busy as soon as one frees, without waiting for the poll', async () => {
    const kind = 'test.busy';
    const ran: number[] = [];
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let secondRan: () => void = () => {};
    const secondDone = new Promise<void>((resolve) => (secondRan = resolve));
    // One slot, and a poll too slow to matter: only a finished job's look can pick the second one up.
    const worker = new JobWorker(first.sql, logger, { ...OPTIONS, concurrency: 1, pollIntervalMs: 600_000 }, systemClock);
    worker.register(
      handler(kind, async (n) => {
        ran.push(n);
        if (n === 1) await firstHeld;
        else secondRan();
      }),
    );
    await enqueueJobs(first.sql, [{ kind, payload: { n: 1 } }]);
    worker.start();
    try {
      await waitFor(() => ran.length === 1);
      await enqueueJobs(first.sql, [{ kind, payload: { n: 2 } }]);
      worker.nudge(); // finds the one slot busy
      releaseFirst();
      await Promise.race([secondDone, new Promise((_, reject) => setTimeout(() => reject(new Error('the second job did not run')), 5000))]);
      expect(ran).toEqual([1, 2]);
    } finally {
      await worker.stop();
    }
  });
});

/** Resolves once `check` holds, polling every 20 ms for at most 5 s. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 5000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
