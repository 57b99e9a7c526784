import { percentiles, round } from '../stats';
import { bookAndCollect, closeDashboards, openDashboards, socketsByDoctor, type ScenarioContext } from './context';
import type { ScenarioRow } from './row';

/**
 * Raises the booking rate step by step (one dashboard per doctor) until p99 booking -> event
 * exceeds the limit, or a booking fails, or an event goes missing; reports the highest rate
 * sustained. Missing events only count as delivery failures on steps that otherwise passed
 * (an overloaded step may still be draining when the bench gives up on it).
 */
export async function runThroughput(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctors = options.doctors;
  const doctorOfSocket = Array.from({ length: doctors }, (_, i) => i);
  const sockets = await openDashboards(ctx, doctorOfSocket);
  const steps: Array<Record<string, unknown>> = [];
  let best = 0;
  let peakAchieved = 0;
  let failures = 0;
  try {
    for (const rate of options.throughputRates) {
      const delivery = await bookAndCollect(ctx, {
        tag: `throughput-${target.name}-${rate}`,
        count: Math.round(rate * options.throughputSeconds),
        ratePerSec: rate,
        socketsOfDoctor: socketsByDoctor(sockets.doctorOfSocket, doctors),
      });
      const latency = percentiles(delivery.mutationToEventMs);
      // Bookings answered OK per second from the first due time to the last answer: the capacity
      // actually delivered, meaningful even on a step that missed the latency limit.
      const { dueMs, responseMs } = delivery.bookings;
      let lastAnswer = dueMs[0] ?? 0;
      responseMs.forEach((ms, i) => {
        if (ms >= 0) lastAnswer = Math.max(lastAnswer, dueMs[i]! + ms);
      });
      const achieved = delivery.booked / Math.max(0.001, (lastAnswer - (dueMs[0] ?? 0)) / 1000);
      peakAchieved = Math.max(peakAchieved, achieved);
      const passed = delivery.errorCount === 0 && delivery.missing === 0 && latency.p99 <= options.throughputP99LimitMs;
      steps.push({
        ratePerSec: rate,
        booked: delivery.booked,
        achievedPerSec: round(achieved, 0),
        p50: round(latency.p50),
        p99: round(latency.p99),
        errors: delivery.errors,
        missing: delivery.missing,
        duplicated: delivery.duplicated,
        maxSendLagMs: round(delivery.maxSendLagMs),
        cpuMsPerBooking: Number.isFinite(delivery.cpuMsPerBooking) ? round(delivery.cpuMsPerBooking, 2) : null,
        passed,
      });
      failures += delivery.duplicated + (passed ? delivery.anomalies : 0);
      if (!passed) break;
      best = rate;
    }
  } finally {
    await closeDashboards(ctx);
  }
  return {
    scenario: 'throughput',
    target: target.name,
    metrics: { bestRatePerSec: best, peakAchievedPerSec: round(peakAchieved, 0), p99LimitMs: options.throughputP99LimitMs },
    ratioKeys: ['bestRatePerSec', 'peakAchievedPerSec'],
    deliveryFailures: failures + sockets.failed,
    details: { steps },
  };
}
