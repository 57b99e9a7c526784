import { z } from 'zod';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { SqlSession } from '../platform/migrations';
import type { Sql, SqlDatabase, Statement } from '../platform/sql';

const PRUNE: Statement = { name: 'audit_prune', text: 'SELECT audit_prune($1::timestamptz) AS deleted' };
const PREPARE_PARTITIONS: Statement = {
  name: 'audit_prepare_partitions',
  text: 'SELECT audit_prepare_partitions($1::int) AS created',
};

/** How many months of audit partitions exist ahead of the current one (created at startup and daily). */
export const AUDIT_PARTITION_MONTHS_AHEAD = 2;

/**
 * Creates the monthly partitions of audit_events up to AUDIT_PARTITION_MONTHS_AHEAD months ahead,
 * through the database function audit_prepare_partitions (it runs as the tables' owner, so the
 * server's role creates nothing). A month the database did not prepare in time is not lost: its
 * rows go to the default partition. Returns how many partitions were created.
 */
export async function prepareAuditPartitions(sql: Sql): Promise<number> {
  const { created } = CreatedRow.parse((await sql.query(PREPARE_PARTITIONS, [AUDIT_PARTITION_MONTHS_AHEAD]))[0]);
  return created;
}

const CreatedRow = z.object({ created: z.number().int() });

/**
 * The only code that deletes audit rows: those older than AUDIT_RETENTION (default 6 years),
 * through the database function audit_prune (migration 20261204020001_audit_app_role). It runs as
 * the tables' owner, so the server's role needs no DELETE right on audit_events, and it deletes
 * nothing younger than the retention its owner set (applyAuditRetention), whatever `now` says.
 * Each chain is cut at its start and the cut recorded (pruned_through_*), so audit:verify can
 * tell retention from someone deleting the oldest rows. Returns how many rows were deleted.
 */
export async function pruneAuditTrail(sql: Sql, retentionSeconds: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionSeconds * 1000);
  const { deleted } = DeletedRow.parse((await sql.query(PRUNE, [cutoff.toISOString()]))[0]);
  return deleted;
}

const DeletedRow = z.object({ deleted: z.number().int() });

/**
 * Sets the retention audit_prune enforces to AUDIT_RETENTION. Run by the connection that migrates
 * (the owner: only it may alter the function), after the migrations; a no-op when it is set already.
 */
export async function applyAuditRetention(session: SqlSession, retentionSeconds: number): Promise<void> {
  const setting = `careline.audit_retention_seconds=${Math.floor(retentionSeconds)}`;
  const [current] = await session.query<{ config: string[] | null }>(
    "SELECT proconfig AS config FROM pg_proc WHERE proname = 'audit_prune' AND pronamespace = 'public'::regnamespace",
  );
  if (current?.config?.includes(setting)) return;
  try {
    // A literal, not a parameter (ALTER takes none): a whole number, so nothing to escape.
    await session.exec(`ALTER FUNCTION audit_prune(timestamptz) SET careline.audit_retention_seconds = '${Math.floor(retentionSeconds)}'`);
  } catch (error) {
    throw new Error(
      "AUDIT_RETENTION could not be applied to the database function audit_prune: only the tables' owner may. " +
        'Set MIGRATION_DATABASE_URL to the owner when DATABASE_URL is a restricted role.',
      { cause: error },
    );
  }
}

/** How often the retention job runs (and once at startup). */
const RETENTION_INTERVAL_MS = 24 * 3600_000;

/** Runs prepareAuditPartitions and pruneAuditTrail now and daily; a failure is logged and retried at the next run. */
export function startAuditRetention(sql: SqlDatabase, retentionSeconds: number, logger: Logger, clock: Clock): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const created = await prepareAuditPartitions(sql);
        if (created > 0) logger.info({ created }, 'created monthly audit partitions');
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
