import type { TargetName } from './targets';

export type ScenarioName = 'latency' | 'throughput' | 'connections' | 'churn' | 'fanout' | 'overload' | 'slots' | 'analytics';
// Order of the run on each target: memory first (cleanest baseline), throughput's rising load next
// to last, then overload at a multiple of the rate throughput sustained.
export const SCENARIOS: readonly ScenarioName[] = [
  'connections',
  'churn',
  'slots',
  'analytics',
  'latency',
  'fanout',
  'throughput',
  'overload',
];
export const TARGETS: readonly TargetName[] = ['floor', 'embedded', 'services-1', 'services-2', 'services-cluster'];
/** --quick's default: the cluster's six Redis processes are the e2e tests' (redis-cluster.test.ts), not CI's minute. */
const QUICK_TARGETS = TARGETS.filter((name) => name !== 'services-cluster');

/** Every knob of a run. `--quick` shrinks them so the whole run fits in CI's minute. */
export interface Options {
  readonly quick: boolean;
  readonly profile: boolean;
  /** connections: heap snapshots of CareLine's first instance, empty and at the first step (see heap-diff.ts). */
  readonly heap: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly targets: readonly TargetName[];
  readonly doctors: number;
  /** Multiple of doctors (see slots.ts). */
  readonly patients: number;
  readonly dashboardsPerDoctor: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly throughputRates: readonly number[];
  readonly throughputSeconds: number;
  /** Throughput passes a step while p99 booking -> event stays at or under this. */
  readonly throughputP99LimitMs: number;
  readonly connectionSteps: readonly number[];
  readonly churnCycles: number;
  readonly fanoutDashboards: number;
  readonly fanoutEvents: number;
  readonly fanoutRate: number;
  /** Overload runs at this multiple of the rate throughput sustained on the same target... */
  readonly overloadFactor: number;
  /** ...or at this rate when throughput did not run. */
  readonly overloadFallbackRate: number;
  readonly overloadSeconds: number;
  readonly drainTimeoutMs: number;
  readonly loadProcesses: number;
  /** Requests of each kind in the slots scenario (GraphQL availableSlots, FHIR $find). */
  readonly slotRequests: number;
  /** The analytics scenario's seeded history: appointments, over this many doctors and patients of one practice. */
  readonly analyticsAppointments: number;
  readonly analyticsDoctors: number;
  readonly analyticsPatients: number;
  /** Measured 31-day practiceAnalytics requests (one at a time). */
  readonly analyticsRequests: number;
  /**
   * Start the next target while this one runs its scenarios (quick mode: a smoke test that must
   * fit in a minute; its numbers are not measurements).
   */
  readonly overlapStarts: boolean;
  /** Unmeasured bookings before the scenarios, so the JIT has compiled the hot path. */
  readonly warmupBookings: number;
}

const FULL: Omit<Options, 'quick' | 'profile' | 'heap' | 'scenarios' | 'targets'> = {
  doctors: 50,
  patients: 100,
  dashboardsPerDoctor: 20,
  latencyRate: 200,
  latencySeconds: 15,
  throughputRates: [50, 100, 200, 400, 700, 1000, 1400, 2000],
  throughputSeconds: 5,
  throughputP99LimitMs: 100,
  connectionSteps: [1000, 2500, 5000, 10000],
  churnCycles: 10000,
  fanoutDashboards: 1000,
  fanoutEvents: 30,
  fanoutRate: 5,
  overloadFactor: 2,
  overloadFallbackRate: 400,
  overloadSeconds: 5,
  drainTimeoutMs: 30_000,
  loadProcesses: 2,
  slotRequests: 200,
  analyticsAppointments: 1_000_000,
  analyticsDoctors: 10,
  analyticsPatients: 50,
  analyticsRequests: 50,
  warmupBookings: 300,
  overlapStarts: false,
};

const QUICK: typeof FULL = {
  doctors: 2,
  patients: 2,
  dashboardsPerDoctor: 10,
  latencyRate: 50,
  latencySeconds: 2,
  throughputRates: [50, 100],
  throughputSeconds: 1,
  throughputP99LimitMs: 100,
  connectionSteps: [50, 100],
  churnCycles: 200,
  fanoutDashboards: 40,
  fanoutEvents: 5,
  fanoutRate: 10,
  overloadFactor: 2,
  overloadFallbackRate: 100,
  overloadSeconds: 1,
  drainTimeoutMs: 10_000,
  loadProcesses: 1,
  slotRequests: 10,
  analyticsAppointments: 10_000,
  analyticsDoctors: 2,
  analyticsPatients: 3,
  analyticsRequests: 5,
  warmupBookings: 20,
  overlapStarts: true,
};

/**
 * npm run bench -- [--quick] [--profile] [--scenarios=latency,fanout] [--targets=floor,services-1]
 * --profile runs CareLine with --cpu-prof (profiles in bench/results/profiles).
 * --heap: the connections scenario writes heap snapshots (empty, first step) to compare with heap-diff.ts.
 * --screens-per-doctor=N: the same 1,000 dashboards over 1000/N doctors (default 20 each: 50 doctors);
 *   50 is the independent probe's 20 doctors with 50 screens each. Full runs only.
 * --latency-rate=N: the latency scenario's bookings/s (default 200): the same dashboards at a rate
 *   one instance is not saturated by, to tell the delivery path's own latency from queueing.
 */
export function parseOptions(argv: readonly string[]): Options {
  const flag = (name: string) => argv.includes(`--${name}`);
  const list = <T extends string>(name: string, all: readonly T[], byDefault: readonly T[] = all): readonly T[] => {
    const raw = argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
    if (!raw) return byDefault;
    const picked = raw.split(',').map((s) => s.trim());
    for (const item of picked) if (!all.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (one of ${all.join(', ')})`);
    return picked as T[];
  };
  for (const arg of argv) {
    if (!/^--(quick|profile|heap|scenarios=.*|targets=.*|screens-per-doctor=\d+|latency-rate=\d+)$/.test(arg))
      throw new Error(`unknown argument ${arg}`);
  }
  const quick = flag('quick');
  const screens = argv.find((arg) => arg.startsWith('--screens-per-doctor='))?.slice('--screens-per-doctor='.length);
  const latencyRate = argv.find((arg) => arg.startsWith('--latency-rate='))?.slice('--latency-rate='.length);
  return {
    quick,
    profile: flag('profile'),
    heap: flag('heap'),
    scenarios: list('scenarios', SCENARIOS),
    targets: list('targets', TARGETS, quick ? QUICK_TARGETS : TARGETS),
    ...(quick ? QUICK : FULL),
    ...(screens && !quick ? screensPerDoctor(Number(screens)) : {}),
    ...(latencyRate ? { latencyRate: positive('--latency-rate', Number(latencyRate)) } : {}),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}: a whole number above 0`);
  return value;
}

/** The full run's 1,000 dashboards as `screens` per doctor: the doctors must divide the patients (slots.ts). */
function screensPerDoctor(screens: number): Pick<Options, 'doctors' | 'dashboardsPerDoctor'> {
  const dashboards = FULL.doctors * FULL.dashboardsPerDoctor;
  const doctors = dashboards / screens;
  if (!Number.isInteger(doctors) || FULL.patients % doctors !== 0) {
    throw new Error(
      `--screens-per-doctor=${screens}: ${dashboards} dashboards must split into a number of doctors that divides ${FULL.patients}`,
    );
  }
  return { doctors, dashboardsPerDoctor: screens };
}
