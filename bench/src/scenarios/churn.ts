import { waitUntil } from '../clock';
import { round } from '../stats';
import { memoryOf, subscribersOf } from '../targets';
import type { ScenarioContext } from './context';
import type { ScenarioRow } from './row';

const SOCKETS = 10;
const PER_SOCKET = 10;

/**
 * Subscribe/unsubscribe cycles in batches of 100 on one doctor: every subscription is seen live
 * on the server, then released, half by `complete` and half by closing the socket. Heap after a
 * forced GC is compared before and after (after warm-up batches, so lazy initialisation does
 * not count as growth); leftover live subscriptions count as failures.
 */
export async function runChurn(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { options, target } = ctx;
  const doctor = target.accounts.doctors[0]!;
  const instance = target.instances[0]!;
  const load = ctx.dashboards[0]!;
  const batch = async () => {
    const expected = await load.call<number>('churnSubscribe', {
      url: instance.wsUrl,
      token: doctor.token,
      doctorId: doctor.id,
      sockets: SOCKETS,
      perSocket: PER_SOCKET,
    });
    await waitUntil(
      `${expected} churn subscriptions live`,
      async () => (await subscribersOf(target, [doctor.id])) === expected,
      30_000,
      10,
    );
    await load.call('churnUnsubscribe');
    await waitUntil('churn subscriptions released', async () => (await subscribersOf(target, [doctor.id])) === 0, 30_000, 10);
  };
  const batches = Math.ceil(options.churnCycles / (SOCKETS * PER_SOCKET));
  // Warm-up (a tenth more cycles, unmeasured): the first thousand cycles fill caches and JIT code
  // (+0.4 MB once, flat after), which is not growth.
  for (let i = 0; i < Math.max(1, Math.floor(batches / 10)); i++) await batch();
  const before = await memoryOf(target, true);
  const started = performance.now();
  // Heap at each quarter too: a leak grows with the cycles, noise does not.
  const heapSteps: Array<{ cycles: number; heapMB: number | null }> = [{ cycles: 0, heapMB: round(before.heapUsed / 2 ** 20, 2) }];
  let measuringMs = 0;
  for (let i = 1; i <= batches; i++) {
    await batch();
    if (i < batches && i % Math.max(1, Math.floor(batches / 4)) === 0) {
      const t = performance.now();
      heapSteps.push({ cycles: i * SOCKETS * PER_SOCKET, heapMB: round((await memoryOf(target, true)).heapUsed / 2 ** 20, 2) });
      measuringMs += performance.now() - t;
    }
  }
  const elapsedMs = performance.now() - started - measuringMs;
  await load.call('churnClose');
  await waitUntil('churn sockets closed', async () => (await subscribersOf(target, [doctor.id])) === 0, 30_000, 10);
  const after = await memoryOf(target, true);
  const leftover = await subscribersOf(target, [doctor.id]);
  const cycles = batches * SOCKETS * PER_SOCKET;
  heapSteps.push({ cycles, heapMB: round(after.heapUsed / 2 ** 20, 2) });
  return {
    scenario: 'churn',
    target: target.name,
    metrics: {
      cycles,
      cyclesPerSec: round((cycles / elapsedMs) * 1000, 0),
      heapBeforeMB: round(before.heapUsed / 2 ** 20, 2),
      heapAfterMB: round(after.heapUsed / 2 ** 20, 2),
      heapGrowthKB: round((after.heapUsed - before.heapUsed) / 1024, 0),
      heapGrowthPerCycleB: round((after.heapUsed - before.heapUsed) / cycles, 1),
      rssGrowthMB: round((after.rss - before.rss) / 2 ** 20, 1),
      leftoverSubscriptions: leftover,
    },
    ratioKeys: [],
    deliveryFailures: leftover,
    details: { heapSteps },
  };
}
