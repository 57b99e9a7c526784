import { Client } from 'pg';
import { curve, percentiles, round } from '../stats';
import { bookAndCollect, closeDashboards, openDashboards, socketsByDoctor, type ScenarioContext } from './context';
import type { ScenarioRow } from './row';

/**
 * D doctors with S dashboards each; patients book at a fixed rate (open-loop). Per event:
 * booking due -> event received, and commit -> event received (the server's commit time, sent as
 * the debug-only extensions.committedAtMs). Also the server's CPU per booking over the run, and
 * the events delivered per second of server CPU (deliveries/s per core). On CareLine, the
 * delivery audit rows the run wrote per booking: each booking has one receiving user (its doctor,
 * on `dashboardsPerDoctor` screens), so 1 is one row per receiving user, and the screens count is
 * one per socket.
 */
export async function runLatency(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctors = options.doctors;
  const doctorOfSocket = Array.from({ length: doctors * options.dashboardsPerDoctor }, (_, i) => i % doctors);
  const sockets = await openDashboards(ctx, doctorOfSocket);
  try {
    const rowsBefore = await deliveryRows(ctx);
    const delivery = await bookAndCollect(ctx, {
      tag: `latency-${target.name}`,
      count: Math.round(options.latencyRate * options.latencySeconds),
      ratePerSec: options.latencyRate,
      socketsOfDoctor: socketsByDoctor(sockets.doctorOfSocket, doctors),
    });
    const mutation = percentiles(delivery.mutationToEventMs);
    const commit = percentiles(delivery.commitToEventMs);
    const rows = await deliveryRows(ctx);
    const rowsPerBooking = rows !== null && rowsBefore !== null && delivery.booked > 0 ? (rows - rowsBefore) / delivery.booked : null;
    return {
      scenario: 'latency',
      target: target.name,
      metrics: {
        sockets: doctorOfSocket.length - sockets.failed,
        ratePerSec: options.latencyRate,
        bookings: delivery.booked,
        events: delivery.mutationToEventMs.length,
        commitP50: round(commit.p50),
        commitP90: round(commit.p90),
        commitP99: round(commit.p99),
        commitP999: round(commit.p999),
        commitMax: round(commit.max),
        mutationP50: round(mutation.p50),
        mutationP90: round(mutation.p90),
        mutationP99: round(mutation.p99),
        mutationP999: round(mutation.p999),
        mutationMax: round(mutation.max),
        missing: delivery.missing,
        duplicated: delivery.duplicated,
        errors: delivery.errorCount,
        cpuMsPerBooking: Number.isFinite(delivery.cpuMsPerBooking) ? round(delivery.cpuMsPerBooking, 2) : null,
        deliveriesPerCoreSec: Number.isFinite(delivery.deliveriesPerCoreSec) ? round(delivery.deliveriesPerCoreSec, 0) : null,
        deliveryAuditRowsPerBooking: rowsPerBooking === null ? null : round(rowsPerBooking, 2),
      },
      ratioKeys: ['commitP50', 'commitP99', 'mutationP50', 'mutationP99', 'cpuMsPerBooking', 'deliveriesPerCoreSec'],
      deliveryFailures: delivery.missing + delivery.duplicated + delivery.anomalies + delivery.hardErrors + sockets.failed,
      details: {
        errors: delivery.errors,
        anomalies: delivery.anomalies,
        unconfirmedEvents: delivery.unconfirmedEvents,
        failedSockets: sockets.failed,
        maxSendLagMs: round(delivery.maxSendLagMs),
        commitCurve: curve(delivery.commitToEventMs),
        mutationCurve: curve(delivery.mutationToEventMs),
      },
    };
  } finally {
    await closeDashboards(ctx);
  }
}

/** Delivery audit rows in the target's database; null where the bench cannot read one (the floor audits nothing, the embedded target's is PGlite). */
async function deliveryRows(ctx: ScenarioContext): Promise<number | null> {
  if (!ctx.target.databaseUrl) return null;
  const db = new Client({ connectionString: ctx.target.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) AS count FROM audit_events WHERE action LIKE 'event.%'`);
    return Number(rows[0]?.count ?? 0);
  } finally {
    await db.end();
  }
}
