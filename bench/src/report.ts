import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { COLORS, lineChart, logTicks, type Series } from './charts';
import type { Options, ScenarioName } from './options';
import type { ScenarioRow } from './scenarios/row';

export const BENCH_DIR = path.resolve(__dirname, '..');

/** The columns each scenario shows in its table (metric key -> header). */
const COLUMNS: Record<ScenarioName, Array<[string, string]>> = {
  latency: [
    ['sockets', 'sockets'],
    ['ratePerSec', 'bookings/s'],
    ['commitP50', 'commit→event p50 ms'],
    ['commitP90', 'p90'],
    ['commitP99', 'p99'],
    ['commitP999', 'p99.9'],
    ['commitMax', 'max'],
    ['mutationP50', 'booking→event p50 ms'],
    ['mutationP99', 'p99'],
    ['errors', 'booking errors'],
    ['missing', 'missing'],
    ['duplicated', 'dup'],
    ['cpuMsPerBooking', 'server CPU ms/booking'],
    ['deliveriesPerCoreSec', 'deliveries/s per core'],
    ['deliveryAuditRowsPerBooking', 'delivery audit rows/booking'],
  ],
  throughput: [
    ['bestRatePerSec', 'sustained bookings/s (p99 ≤ limit)'],
    ['peakAchievedPerSec', 'peak answered bookings/s'],
    ['p99LimitMs', 'p99 limit ms'],
  ],
  connections: [
    ['sockets', 'idle sockets'],
    ['rssPerSocketKB', 'RSS KB/socket'],
    ['heapPerSocketKB', 'heap KB/socket'],
    ['lastStepConnectMs', 'last step connect ms'],
    ['baselineRssMB', 'empty RSS MB'],
  ],
  churn: [
    ['cycles', 'cycles'],
    ['cyclesPerSec', 'cycles/s'],
    ['heapBeforeMB', 'heap before MB'],
    ['heapAfterMB', 'heap after MB'],
    ['heapGrowthKB', 'growth KB'],
    ['leftoverSubscriptions', 'leftover subs'],
  ],
  fanout: [
    ['dashboards', 'dashboards'],
    ['firstP50', 'commit→first p50 ms'],
    ['medianP50', 'commit→median p50'],
    ['lastP50', 'commit→last p50'],
    ['lastP99', 'commit→last p99'],
    ['lastMax', 'max'],
    ['answerP50', 'booking answered p50 ms'],
    ['missing', 'missing'],
    ['duplicated', 'dup'],
  ],
  overload: [
    ['ratePerSec', 'bookings/s offered'],
    ['admitted', 'admitted'],
    ['refusedShare', 'refused share'],
    ['admittedP50', 'admitted p50 ms'],
    ['admittedP99', 'admitted p99 ms'],
    ['refusalP99', 'refusal p99 ms'],
    ['otherErrors', 'other errors'],
    ['cpuMsPerBooking', 'server CPU ms/booking'],
    ['missing', 'missing'],
    ['duplicated', 'dup'],
  ],
  slots: [
    ['slots', 'free slots (7 days)'],
    ['availableSlotsP50', 'availableSlots p50 ms'],
    ['availableSlotsP99', 'p99'],
    ['findP50', 'FHIR $find p50 ms'],
    ['findP99', 'p99'],
    ['findToAvailableSlotsP50', '$find ÷ availableSlots (p50)'],
  ],
  analytics: [
    ['appointments', 'appointments seeded'],
    ['seedS', 'seed s'],
    ['inRange', 'in the 31 days'],
    ['p50', 'practiceAnalytics (31 days) p50 ms'],
    ['p99', 'p99'],
    ['max', 'max'],
  ],
};

const fmt = (value: number | null | undefined) => (value === null || value === undefined ? '–' : String(value));

/** "metric x floor" for each ratio key, or – when the floor did not measure it. */
function ratios(row: ScenarioRow, floor: ScenarioRow | undefined): Array<[string, string]> {
  return row.ratioKeys.map((key) => {
    const mine = row.metrics[key];
    const base = floor?.metrics[key];
    const ratio = mine !== null && mine !== undefined && base ? mine / base : undefined;
    return [`${key} ×floor`, ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`];
  });
}

export function printRow(row: ScenarioRow, floor: ScenarioRow | undefined): void {
  const cells = COLUMNS[row.scenario].map(([key, header]) => `${header}=${fmt(row.metrics[key])}`);
  const ratioCells = row.target === 'floor' ? [] : ratios(row, floor).map(([header, value]) => `${header}=${value}`);
  const status = row.deliveryFailures === 0 ? 'ok' : `FAILURES=${row.deliveryFailures}`;
  console.log(`${row.scenario.padEnd(11)} ${row.target.padEnd(10)} ${[...cells, ...ratioCells].join('  ')}  [${status}]`);
}

/** A markdown table of one scenario across targets. */
export function markdownTable(scenario: ScenarioName, rows: readonly ScenarioRow[]): string {
  const floor = rows.find((r) => r.target === 'floor');
  const ratioHeaders = rows[0]?.ratioKeys.map((key) => `${key} ×floor`) ?? [];
  const headers = ['target', ...COLUMNS[scenario].map(([, header]) => header), ...ratioHeaders];
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const ratioCells = row.target === 'floor' ? row.ratioKeys.map(() => '1×') : ratios(row, floor).map(([, value]) => value);
    lines.push(`| ${[row.target, ...COLUMNS[scenario].map(([key]) => fmt(row.metrics[key])), ...ratioCells].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function machine(loadAtStart: number[]): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))),
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export function resultsDir(options: Options): string {
  return options.quick ? path.join(BENCH_DIR, 'results', 'quick') : path.join(BENCH_DIR, 'results');
}

export async function writeScenarioJson(
  options: Options,
  scenario: ScenarioName,
  rows: readonly ScenarioRow[],
  info: Record<string, unknown>,
): Promise<void> {
  const dir = resultsDir(options);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  await writeFile(file, `${JSON.stringify({ scenario, ...info, rows }, null, 2)}\n`);
}

/** latency.svg (commit -> event percentiles per target) and memory.svg (KB per idle socket per step). */
export async function writeCharts(options: Options, rows: readonly ScenarioRow[]): Promise<string[]> {
  const dir = resultsDir(options);
  const written: string[] = [];
  const latency = rows.filter((r) => r.scenario === 'latency');
  const nines = (q: number) => -Math.log10(1 - q);
  const latencySeries: Series[] = latency.map((row) => ({
    name: row.target,
    color: COLORS[row.target] ?? '#000',
    points: ((row.details['commitCurve'] as Array<[number, number]> | undefined) ?? [])
      .filter(([q]) => q < 1)
      .map(([q, ms]) => [nines(q), ms] as const),
  }));
  const allMs = latencySeries.flatMap((s) => s.points.map(([, ms]) => ms)).filter((ms) => ms > 0);
  if (allMs.length > 0) {
    const svg = lineChart(
      `commit → dashboard latency (${latency[0]?.metrics['sockets']} sockets, ${latency[0]?.metrics['ratePerSec']} bookings/s)`,
      {
        label: 'percentile',
        ticks: [
          [0, '0%'],
          [nines(0.5), '50%'],
          [1, '90%'],
          [2, '99%'],
          [3, '99.9%'],
        ],
      },
      { label: 'milliseconds (log)', log: true, ticks: logTicks(Math.min(...allMs), Math.max(...allMs), ' ms') },
      latencySeries,
    );
    await writeFile(path.join(dir, 'latency.svg'), svg);
    written.push('latency.svg');
  }
  const connections = rows.filter((r) => r.scenario === 'connections');
  const memorySeries: Series[] = connections.flatMap((row) => {
    const steps = (row.details['steps'] as Array<Record<string, number>> | undefined) ?? [];
    const color = COLORS[row.target] ?? '#000';
    return [
      { name: `${row.target} RSS`, color, points: steps.map((s) => [s['sockets']!, s['rssPerSocketKB']!] as const) },
      { name: `${row.target} heap`, color, dashed: true, points: steps.map((s) => [s['sockets']!, s['heapPerSocketKB']!] as const) },
    ];
  });
  const xs = memorySeries.flatMap((s) => s.points.map(([x]) => x));
  const ys = memorySeries.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => Number.isFinite(y));
  if (xs.length > 0 && ys.length > 0) {
    const maxY = Math.max(30, ...ys);
    const step = maxY > 100 ? 50 : maxY > 40 ? 20 : 10;
    const yTicks: Array<[number, string]> = [];
    for (let v = Math.min(0, Math.floor(Math.min(...ys) / step) * step); v <= maxY + step; v += step) yTicks.push([v, `${v} KB`]);
    const xTicks: Array<[number, string]> = [
      [0, '0'],
      ...[...new Set(xs)].sort((a, b) => a - b).map((x) => [x, String(x)] as [number, string]),
    ];
    const svg = lineChart(
      'server memory per idle subscribed socket',
      { label: 'open sockets', ticks: xTicks },
      { label: 'KB per socket (solid RSS, dashed heap)', ticks: yTicks },
      memorySeries,
    );
    await writeFile(path.join(dir, 'memory.svg'), svg);
    written.push('memory.svg');
  }
  return written;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Rewrites the generated part of bench/README.md with this run's tables. */
export async function updateReadme(tables: string, info: Record<string, unknown>): Promise<void> {
  const file = path.join(BENCH_DIR, 'README.md');
  const readme = await readFile(file, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`bench/README.md lacks the ${START} ... ${END} markers`);
  const m = info['machine'] as Record<string, unknown>;
  const body = [
    START,
    `Last full run: ${String(info['generatedAt'])}, ${String(info['durationS'])} s. Machine: ${String(m['cpu'])}, ${String(m['cores'])} cores, ${String(m['memoryGB'])} GB, ${String(m['os'])}, Node ${String(m['node'])}; load average at start ${JSON.stringify(m['loadAverageAtStart'])}, at end ${JSON.stringify(m['loadAverageAtEnd'])} (the machine is shared: absolute numbers are noisy, the ratios to the floor much less so).`,
    '',
    tables,
    '',
    '![commit → dashboard latency distribution](results/latency.svg)',
    '',
    '![server memory per idle socket](results/memory.svg)',
    END,
  ].join('\n');
  await writeFile(file, readme.slice(0, start) + body + readme.slice(end + END.length));
}
