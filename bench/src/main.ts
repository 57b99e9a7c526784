// npm run bench [-- --quick] : the booking -> dashboard benchmark. Starts each deployment as child
// processes (the floor program, CareLine embedded, CareLine on PostgreSQL + Redis with one and two
// instances), drives it from separate load processes through the public protocol only, and prints
// one table row per scenario and deployment, with ratios to the floor measured in the same run.
// Exits 1 when any event was missing or duplicated (or a scenario failed).
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoadProcess } from './ipc';
import { parseOptions, SCENARIOS, TARGETS, type Options, type ScenarioName } from './options';
import { machine, markdownTable, printRow, resultsDir, updateReadme, writeCharts, writeScenarioJson } from './report';
import { runChurn } from './scenarios/churn';
import { runConnections } from './scenarios/connections';
import { bookAndCollect, type ScenarioContext } from './scenarios/context';
import { runFanout } from './scenarios/fanout';
import { runLatency } from './scenarios/latency';
import { runOverload } from './scenarios/overload';
import { runAnalytics } from './scenarios/analytics';
import { runSlots } from './scenarios/slots';
import type { ScenarioRow } from './scenarios/row';
import { runThroughput } from './scenarios/throughput';
import { createBenchDatabase, type BenchDatabase } from './support/database';
import { startBenchRedisCluster } from './support/redis-cluster';
import { startEmbedded, startFloor, startServices, type Accounts, type StartOptions, type Target, type TargetName } from './targets';

const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioRow>> = {
  latency: runLatency,
  throughput: runThroughput,
  connections: runConnections,
  churn: runChurn,
  fanout: runFanout,
  overload: runOverload,
  slots: runSlots,
  analytics: runAnalytics,
};

interface Running {
  readonly target: Target;
  stop(): Promise<void>;
}

async function startTarget(name: TargetName, database: BenchDatabase, options: Options, shared: { services?: Accounts }): Promise<Running> {
  const counts = { doctors: options.doctors, patients: options.patients };
  const start: StartOptions = {
    nodeFlags:
      options.profile && name !== 'floor' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir(options), 'profiles', name)}`] : [],
  };
  const stopAll = (target: Target) => () => Promise.all(target.instances.map((instance) => instance.stop())).then(() => undefined);
  switch (name) {
    case 'floor': {
      const target = await startFloor(database, counts, start);
      return { target, stop: stopAll(target) };
    }
    case 'embedded': {
      const target = await startEmbedded(counts, start);
      return { target, stop: stopAll(target) };
    }
    case 'services-1':
    case 'services-2': {
      const target = await startServices(database, name === 'services-1' ? 1 : 2, counts, start, shared.services);
      shared.services = target.accounts;
      return { target, stop: stopAll(target) };
    }
    case 'services-cluster': {
      // Two instances on a Redis Cluster of their own (3 masters, 3 replicas: sharded pub/sub).
      const cluster = await startBenchRedisCluster();
      try {
        const target = await startServices(database, 2, counts, start, shared.services, cluster.nodesSetting);
        shared.services = target.accounts;
        return { target, stop: () => stopAll(target)().finally(() => cluster.stop()) };
      } catch (error) {
        await cluster.stop();
        throw error;
      }
    }
  }
}

/** Unmeasured bookings (no dashboards), so the first scenario does not pay for the JIT. */
async function warmUp(ctx: ScenarioContext): Promise<void> {
  const { target, options } = ctx;
  const delivery = await bookAndCollect(ctx, {
    tag: `warmup-${target.name}`,
    count: options.warmupBookings,
    ratePerSec: 50,
    socketsOfDoctor: [],
  });
  if (delivery.errorCount > 0) console.warn(`warm-up on ${target.name}: ${JSON.stringify(delivery.errors)}`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = Date.now();
  const loadAtStart = os.loadavg();
  await mkdir(resultsDir(options), { recursive: true });
  console.log(
    `careline bench (${options.quick ? 'quick' : 'full'}): targets ${options.targets.join(', ')}; scenarios ${options.scenarios.join(', ')}`,
  );

  const database = await createBenchDatabase();
  const dashboards = Array.from({ length: options.loadProcesses }, (_, i) => LoadProcess.start('dashboards', `dashboards-${i + 1}`));
  const bookings = LoadProcess.start('bookings', 'bookings');
  const rows: ScenarioRow[] = [];
  let failed = false;
  const shared: { services?: Accounts } = {};
  // A target stops in the background while the next one starts: shutting down is not measured.
  const stopping: Array<Promise<void>> = [];
  let current: Running | undefined;
  let next: Promise<Running> | undefined;
  // Interrupted (Ctrl-C, CI timeout): stop what runs and drop the database before exiting.
  const interrupt = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the servers and dropping ${database.name}`);
    void Promise.allSettled([current?.stop(), next?.then((r) => r.stop()), ...stopping, ...[...dashboards, bookings].map((p) => p.stop())])
      .then(() => database.drop())
      .finally(() => process.exit(1));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    for (const [i, name] of options.targets.entries()) {
      const t0 = performance.now();
      const running = await (next ?? startTarget(name, database, options, shared));
      next = undefined;
      current = running;
      console.log(`-- ${name}: ${running.target.instances.length} instance(s) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const following = options.targets[i + 1];
      if (options.overlapStarts && following) {
        next = startTarget(following, database, options, shared);
        next.catch(() => undefined); // awaited (and reported) on the next turn
      }
      try {
        await warmUp({ target: running.target, dashboards, bookings, options, database });
        for (const scenario of options.scenarios) {
          const sustained = rows.find((r) => r.scenario === 'throughput' && r.target === name)?.metrics['bestRatePerSec'];
          const ctx: ScenarioContext = {
            target: running.target,
            dashboards,
            bookings,
            database,
            options,
            sustainedRatePerSec: sustained ?? undefined,
          };
          try {
            const row = await RUNNERS[scenario](ctx);
            rows.push(row);
            printRow(
              row,
              rows.find((r) => r.scenario === scenario && r.target === 'floor'),
            );
            if (row.deliveryFailures > 0) failed = true;
          } catch (error) {
            failed = true;
            console.error(`${scenario} on ${name} failed:`, error);
          }
        }
      } finally {
        stopping.push(running.stop());
        current = undefined;
      }
    }
  } finally {
    if (next)
      stopping.push(
        next.then(
          (r) => r.stop(),
          () => undefined,
        ),
      );
    await Promise.all(stopping);
    await Promise.all([...dashboards, bookings].map((p) => p.stop()));
    await database.drop().catch((error: unknown) => console.error('could not drop the bench database:', error));
  }

  const info = {
    generatedAt: new Date().toISOString(),
    durationS: Math.round((Date.now() - startedAt) / 1000),
    quick: options.quick,
    machine: machine(loadAtStart),
    options,
  };
  const tables: string[] = [];
  for (const scenario of options.scenarios) {
    const scenarioRows = rows.filter((r) => r.scenario === scenario);
    if (scenarioRows.length === 0) continue;
    await writeScenarioJson(options, scenario, scenarioRows, info);
    tables.push(`### ${scenario}\n\n${markdownTable(scenario, scenarioRows)}`);
  }
  const charts = await writeCharts(options, rows);
  // Only a run of every scenario on every target rewrites the README's table (it counted 5
  // scenarios by number and missed the sixth, overload, so full runs stopped updating it).
  const fullRun = TARGETS.every((name) => options.targets.includes(name)) && SCENARIOS.every((name) => options.scenarios.includes(name));
  if (!options.quick && fullRun) await updateReadme(tables.join('\n\n'), info);
  console.log(`\n${tables.join('\n\n')}\n`);
  console.log(`results in ${path.relative(process.cwd(), resultsDir(options))}/ (${charts.join(', ')}); ${info.durationS} s`);
  if (failed) console.error('FAILED: events missing or duplicated, or a scenario failed (see above)');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
