import { percentiles, round } from '../stats';
import { bookAndCollect, closeDashboards, openDashboards, socketsByDoctor, type ScenarioContext } from './context';
import type { ScenarioRow } from './row';

/**
 * Books open-loop at OVERLOAD_FACTOR times the rate the throughput scenario sustained (one
 * dashboard per doctor). A server that bounds its admission answers what it cannot take with a
 * fast refusal (RATE_LIMITED / 429 / 503) and keeps the admitted bookings fast; one that queues
 * without bound answers everything late. Either way no committed booking may lose its event.
 */
export async function runOverload(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctors = options.doctors;
  const rate = Math.round(
    ctx.sustainedRatePerSec !== undefined && ctx.sustainedRatePerSec > 0
      ? ctx.sustainedRatePerSec * options.overloadFactor
      : options.overloadFallbackRate,
  );
  const sockets = await openDashboards(
    ctx,
    Array.from({ length: doctors }, (_, i) => i),
  );
  try {
    const count = Math.round(rate * options.overloadSeconds);
    const delivery = await bookAndCollect(ctx, {
      tag: `overload-${target.name}`,
      count,
      ratePerSec: rate,
      socketsOfDoctor: socketsByDoctor(sockets.doctorOfSocket, doctors),
    });
    const admitted = percentiles(delivery.bookings.responseMs.filter((ms) => ms >= 0));
    const refusals = delivery.bookings.refusedMs.filter((ms) => ms >= 0);
    const refused = percentiles(refusals);
    const otherErrors = delivery.errorCount - refusals.length;
    return {
      scenario: 'overload',
      target: target.name,
      metrics: {
        ratePerSec: rate,
        sent: count,
        admitted: delivery.booked,
        refusedShare: round(refusals.length / Math.max(1, count), 3),
        admittedP50: round(admitted.p50),
        admittedP99: round(admitted.p99),
        refusalP99: refusals.length > 0 ? round(refused.p99) : null,
        otherErrors,
        cpuMsPerBooking: Number.isFinite(delivery.cpuMsPerBooking) ? round(delivery.cpuMsPerBooking, 2) : null,
        missing: delivery.missing,
        duplicated: delivery.duplicated,
      },
      ratioKeys: [],
      // Timeouts and refusals are the findings of this scenario, not delivery failures; a lost or
      // duplicated event of a committed booking is.
      deliveryFailures: delivery.missing + delivery.duplicated + delivery.anomalies + sockets.failed,
      details: { errors: delivery.errors, unconfirmedEvents: delivery.unconfirmedEvents, maxSendLagMs: round(delivery.maxSendLagMs) },
    };
  } finally {
    await closeDashboards(ctx);
  }
}
