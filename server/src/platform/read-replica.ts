import type { Metrics } from './metrics';
import type { Sql } from './sql';

/** What reads a replica serves (the label of the replica metrics). */
export type ReplicaUse = 'catch_up' | 'analytics';

/**
 * The read replica (DATABASE_REPLICA_URL) as its readers see it: statements for one use, each
 * counted in careline_db_replica_reads_total, and a way to count a read the primary had to
 * complete (careline_db_primary_fallback_total). Only reads that may lag go here: catch-up reads
 * (completed from the primary, live/catch-up-reads.ts) and analytics.
 */
export interface ReadReplica {
  sql(use: ReplicaUse): Sql;
  fellBack(use: ReplicaUse): void;
}

/** The replica's statements with the instance's counters. */
export function countedReplica(replica: Sql, metrics: Pick<Metrics, 'replicaReads' | 'primaryFallbacks'>): ReadReplica {
  return {
    sql: (use) => ({
      query: (statement, values) => {
        metrics.replicaReads.inc({ use });
        return replica.query(statement, values);
      },
    }),
    fellBack: (use) => metrics.primaryFallbacks.inc({ use }),
  };
}
