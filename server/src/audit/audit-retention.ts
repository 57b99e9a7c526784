import { z } from 'zod';
import type { Clock } from '../platform/clock';
import { TRANSACTION_LIMITS } from '../platform/database';
import type { Logger } from '../platform/logger';
import type { SqlDatabase, Statement } from '../platform/sql';

const ALLOW_PRUNE: Statement = { name: 'audit_allow_prune', text: `SELECT set_config('careline.audit_prune', $1::text, true)` };

// Partition heads are locked first, as every writer does, so a concurrent writer waits rather than races.
const LOCK_HEADS: Statement = { name: 'audit_lock_heads', text: 'SELECT partition FROM audit_chain_heads ORDER BY partition FOR UPDATE' };

// Rows are cut by seq, not by time alone: a chain is only shortened from its start, up to the
// row before its oldest row that is still within retention.
const MOVE_CHAIN_STARTS: Statement = {
  name: 'audit_move_chain_starts',
  text: `
    WITH bound AS (
      SELECT h.partition,
             COALESCE((SELECT min(e.seq) FROM audit_events e WHERE e.partition = h.partition AND e.at >= $1::timestamptz) - 1, h.seq) AS upto
      FROM audit_chain_heads h
    )
    UPDATE audit_chain_heads AS h SET pruned_through_seq = e.seq, pruned_through_hash = e.hash
    FROM bound b JOIN audit_events e ON e.partition = b.partition AND e.seq = b.upto
    WHERE h.partition = b.partition AND b.upto > h.pruned_through_seq`,
};

const DELETE_BEFORE_CHAIN_STARTS: Statement = {
  name: 'audit_delete_before_chain_starts',
  text: `
    WITH deleted AS (
      DELETE FROM audit_events e USING audit_chain_heads h WHERE e.partition = h.partition AND e.seq <= h.pruned_through_seq
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
};

/**
 * The only code that deletes audit rows: those older than AUDIT_RETENTION (default 6 years).
 * The append-only trigger lets a DELETE through only inside this transaction (it sets
 * careline.audit_prune to the cutoff) and only for rows older than the cutoff. Each partition
 * records where its chain now starts (pruned_through_*), so audit:verify can tell retention from
 * someone deleting the oldest rows. Returns how many rows were deleted.
 */
export async function pruneAuditTrail(sql: SqlDatabase, retentionSeconds: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionSeconds * 1000);
  // A transaction of its own on the platform's statements: it emits nothing, and the trigger's
  // permission (a transaction-local setting) must not outlive it.
  return sql.transaction(
    async (tx) => {
      await tx.query(ALLOW_PRUNE, [cutoff.toISOString()]);
      await tx.query(LOCK_HEADS, []);
      await tx.query(MOVE_CHAIN_STARTS, [cutoff.toISOString()]);
      const { deleted } = DeletedRow.parse((await tx.query(DELETE_BEFORE_CHAIN_STARTS, []))[0]);
      await tx.query(ALLOW_PRUNE, ['']);
      return deleted;
    },
    { timeoutMs: TRANSACTION_LIMITS.timeoutMs },
  );
}

const DeletedRow = z.object({ deleted: z.number().int() });

/** How often the retention job runs (and once at startup). */
const RETENTION_INTERVAL_MS = 24 * 3600_000;

/** Runs pruneAuditTrail now and daily; a failure is logged and retried at the next run. */
export function startAuditRetention(sql: SqlDatabase, retentionSeconds: number, logger: Logger, clock: Clock): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const deleted = await pruneAuditTrail(sql, retentionSeconds, clock());
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
