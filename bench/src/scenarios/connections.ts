import { round } from '../stats';
import { heapSnapshotOf, memoryOf } from '../targets';
import { closeDashboards, openDashboards, type ScenarioContext } from './context';
import type { ScenarioRow } from './row';

/**
 * Opens idle subscribed dashboards in steps (spread over the doctors); at each step, after a
 * forced GC, the server's RSS and heap above its empty baseline divided by the sockets open,
 * and how long the step took to connect and go live. With --heap, heap snapshots of the first
 * instance, empty and at the first step: `heap-diff.ts` says what each socket holds.
 */
export async function runConnections(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctors = options.doctors;
  const baseline = await memoryOf(target, true);
  const heap = options.heap && target.kind === 'graphql';
  const snapshots: string[] = heap ? [await heapSnapshotOf(target)] : [];
  const steps: Array<Record<string, number | null>> = [];
  let open = 0;
  let failed = 0;
  try {
    for (const step of options.connectionSteps) {
      const more = Array.from({ length: step - open }, (_, i) => (open + i) % doctors);
      const opened = await openDashboards(ctx, more, open, open - failed);
      failed += opened.failed;
      open = step;
      if (heap && snapshots.length === 1) snapshots.push(await heapSnapshotOf(target));
      const memory = await memoryOf(target, true);
      const live = step - failed;
      steps.push({
        sockets: live,
        connectMs: round(opened.connectMs, 0),
        socketsPerSec: round((more.length / opened.connectMs) * 1000, 0),
        rssMB: round(memory.rss / 2 ** 20, 1),
        heapMB: round(memory.heapUsed / 2 ** 20, 1),
        rssPerSocketKB: round((memory.rss - baseline.rss) / live / 1024, 1),
        heapPerSocketKB: round((memory.heapUsed - baseline.heapUsed) / live / 1024, 1),
      });
    }
  } finally {
    await closeDashboards(ctx);
  }
  const last = steps[steps.length - 1] ?? {};
  return {
    scenario: 'connections',
    target: target.name,
    metrics: {
      sockets: last['sockets'] ?? null,
      rssPerSocketKB: last['rssPerSocketKB'] ?? null,
      heapPerSocketKB: last['heapPerSocketKB'] ?? null,
      lastStepConnectMs: last['connectMs'] ?? null,
      baselineRssMB: round(baseline.rss / 2 ** 20, 1),
      baselineHeapMB: round(baseline.heapUsed / 2 ** 20, 1),
    },
    ratioKeys: ['rssPerSocketKB', 'heapPerSocketKB'],
    deliveryFailures: failed,
    details: heap ? { steps, heapSnapshots: snapshots } : { steps },
  };
}
