import { percentiles, round } from '../stats';
import { bookAndCollect, closeDashboards, openDashboards, type ScenarioContext } from './context';
import type { ScenarioRow } from './row';

/**
 * One doctor with many dashboards (a practice's wall screens): per booking, the time from commit
 * to the first, the median and the last dashboard receiving the event.
 */
export async function runFanout(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctorOfSocket = Array.from({ length: options.fanoutDashboards }, () => 0);
  const sockets = await openDashboards(ctx, doctorOfSocket);
  try {
    const delivery = await bookAndCollect(ctx, {
      tag: `fanout-${target.name}`,
      count: options.fanoutEvents,
      ratePerSec: options.fanoutRate,
      oneDoctor: true,
      socketsOfDoctor: [doctorOfSocket.map((_, i) => i)],
    });
    // Per booking: the spread of its arrival times over the dashboards.
    const perBooking = new Map<number, { committedAt: number; due: number; arrivals: number[] }>();
    for (let j = 0; j < delivery.records.length; j += 4) {
      const booking = delivery.records[j + 1]!;
      let entry = perBooking.get(booking);
      if (!entry)
        perBooking.set(booking, (entry = { committedAt: delivery.records[j + 3]!, due: delivery.bookings.dueMs[booking]!, arrivals: [] }));
      entry.arrivals.push(delivery.records[j + 2]!);
    }
    const toFirst: number[] = [];
    const toMedian: number[] = [];
    const toLast: number[] = [];
    const mutationToLast: number[] = [];
    for (const { committedAt, due, arrivals } of perBooking.values()) {
      arrivals.sort((a, b) => a - b);
      toFirst.push(arrivals[0]! - committedAt);
      toMedian.push(arrivals[Math.floor(arrivals.length / 2)]! - committedAt);
      toLast.push(arrivals[arrivals.length - 1]! - committedAt);
      mutationToLast.push(arrivals[arrivals.length - 1]! - due);
    }
    const last = percentiles(toLast);
    return {
      scenario: 'fanout',
      target: target.name,
      metrics: {
        dashboards: doctorOfSocket.length - sockets.failed,
        bookings: delivery.booked,
        firstP50: round(percentiles(toFirst).p50),
        medianP50: round(percentiles(toMedian).p50),
        lastP50: round(last.p50),
        lastP99: round(last.p99),
        lastMax: round(last.max),
        mutationToLastP50: round(percentiles(mutationToLast).p50),
        answerP50: round(percentiles(delivery.bookings.responseMs.filter((ms) => ms >= 0)).p50),
        missing: delivery.missing,
        duplicated: delivery.duplicated,
      },
      ratioKeys: ['firstP50', 'lastP50', 'lastP99', 'mutationToLastP50'],
      deliveryFailures: delivery.missing + delivery.duplicated + delivery.anomalies + delivery.hardErrors + sockets.failed,
      details: {
        errors: delivery.errors,
        anomalies: delivery.anomalies,
        unconfirmedEvents: delivery.unconfirmedEvents,
        failedSockets: sockets.failed,
      },
    };
  } finally {
    await closeDashboards(ctx);
  }
}
