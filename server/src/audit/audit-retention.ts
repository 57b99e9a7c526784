import type { PrismaClient } from '../generated/prisma/client';
import { WRITE_TRANSACTION_OPTIONS } from '../platform/database';
import type { Logger } from '../platform/logger';

/**
 * The only code that deletes audit rows: those older than AUDIT_RETENTION (default 6 years).
 * The append-only trigger lets a DELETE through only inside this transaction (it sets
 * careline.audit_prune to the cutoff) and only for rows older than the cutoff. Each partition
 * records where its chain now starts (pruned_through_*), so audit:verify can tell retention from
 * someone deleting the oldest rows. Returns how many rows were deleted.
 */
export async function pruneAuditTrail(prisma: PrismaClient, retentionSeconds: number, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionSeconds * 1000);
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('careline.audit_prune', ${cutoff.toISOString()}, true)`;
    // Partition heads are locked first, as every writer does, so a concurrent writer waits rather than races.
    await tx.$queryRaw`SELECT partition FROM audit_chain_heads ORDER BY partition FOR UPDATE`;
    // Rows are cut by seq, not by time alone: a chain is only shortened from its start, up to the
    // row before its oldest row that is still within retention.
    await tx.$executeRaw`
      WITH bound AS (
        SELECT h.partition,
               COALESCE((SELECT min(e.seq) FROM audit_events e WHERE e.partition = h.partition AND e.at >= ${cutoff}) - 1, h.seq) AS upto
        FROM audit_chain_heads h
      )
      UPDATE audit_chain_heads AS h SET pruned_through_seq = e.seq, pruned_through_hash = e.hash
      FROM bound b JOIN audit_events e ON e.partition = b.partition AND e.seq = b.upto
      WHERE h.partition = b.partition AND b.upto > h.pruned_through_seq`;
    const deleted = await tx.$executeRaw`
      DELETE FROM audit_events e USING audit_chain_heads h WHERE e.partition = h.partition AND e.seq <= h.pruned_through_seq`;
    await tx.$queryRaw`SELECT set_config('careline.audit_prune', '', true)`;
    return deleted;
  }, WRITE_TRANSACTION_OPTIONS);
}

/** How often the retention job runs (and once at startup). */
const RETENTION_INTERVAL_MS = 24 * 3600_000;

/** Runs pruneAuditTrail now and daily; a failure is logged and retried at the next run. */
export function startAuditRetention(prisma: PrismaClient, retentionSeconds: number, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const deleted = await pruneAuditTrail(prisma, retentionSeconds);
        if (deleted > 0) logger.info({ deleted }, 'deleted audit rows older than AUDIT_RETENTION');
      } catch (error) {
        logger.error({ err: error }, 'audit retention failed; retrying at the next run');
      }
    });
  };
  run();
  const timer = setInterval(run, RETENTION_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
