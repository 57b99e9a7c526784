import { waitUntil } from '../clock';
import type { LoadProcess } from '../ipc';
import type { BookingResult, BookingRun } from '../load/bookings';
import type { Recorded, SocketSpec } from '../load/dashboards';
import type { Options } from '../options';
import type { BenchDatabase } from '../support/database';
import { slotOf, type SlotPlan } from '../slots';
import { subscribersOf, type Target } from '../targets';

/** What a scenario runs with: the target, the load processes and the run's options. */
export interface ScenarioContext {
  readonly target: Target;
  readonly dashboards: LoadProcess[];
  readonly bookings: LoadProcess;
  readonly options: Options;
  /** The run's PostgreSQL database (the services targets' own; a scenario may seed it directly). */
  readonly database: BenchDatabase;
  /** The highest rate the throughput scenario sustained on this target in this run, if it ran. */
  readonly sustainedRatePerSec?: number;
}

/** A set of open dashboard sockets: which doctor (index) each watches. */
export interface OpenSockets {
  readonly doctorOfSocket: number[];
  readonly connectMs: number;
  readonly failed: number;
}

/**
 * Opens one socket per entry of `doctorIndexes` (spread over the load processes and round-robin
 * over the instances), then waits until every subscription is live on the server.
 */
export async function openDashboards(
  ctx: ScenarioContext,
  doctorIndexes: number[],
  firstIndex = 0,
  liveBefore = firstIndex,
): Promise<OpenSockets> {
  const { target } = ctx;
  const started = performance.now();
  const perProcess: SocketSpec[][] = ctx.dashboards.map(() => []);
  doctorIndexes.forEach((doctor, i) => {
    const index = firstIndex + i;
    const account = target.accounts.doctors[doctor]!;
    perProcess[index % ctx.dashboards.length]!.push({
      index,
      url: target.instances[index % target.instances.length]!.wsUrl,
      token: account.token,
      doctorId: account.id,
    });
  });
  const opened = await Promise.all(
    ctx.dashboards.map((process, i) => process.call<{ ms: number; failed: number }>('open', { sockets: perProcess[i], concurrency: 50 })),
  );
  const failed = opened.reduce((sum, o) => sum + o.failed, 0);
  const doctorIds = [...new Set(doctorIndexes)].map((d) => target.accounts.doctors[d]!.id);
  const expected = liveBefore + doctorIndexes.length - failed;
  await waitUntil(`${expected} live subscriptions`, async () => (await subscribersOf(target, doctorIds)) >= expected, 120_000, 100);
  return { doctorOfSocket: doctorIndexes, connectMs: performance.now() - started, failed };
}

export async function closeDashboards(ctx: ScenarioContext): Promise<void> {
  await Promise.all(ctx.dashboards.map((process) => process.call('closeAll')));
}

/** The outcome of one booking run, checked against what every dashboard should have received. */
export interface Delivery {
  readonly booked: number;
  readonly errors: Record<string, number>;
  readonly errorCount: number;
  readonly expectedEvents: number;
  readonly missing: number;
  readonly duplicated: number;
  /** Error messages, events of no known booking, or sockets that closed unexpectedly. */
  readonly anomalies: number;
  /** Events (each once per socket) of bookings that got no OK answer, e.g. timed out but committed. */
  readonly unconfirmedEvents: number;
  /** Booking errors other than those of overload (timeouts, refusals): a healthy path never has any. */
  readonly hardErrors: number;
  readonly maxSendLagMs: number;
  readonly bookings: BookingResult;
  /** Per received event. */
  readonly mutationToEventMs: number[];
  readonly commitToEventMs: number[];
  /** Flattened [socket, booking, receivedAtMs, committedAtMs]. */
  readonly records: number[];
  /**
   * Server CPU (all instances, user + system, from /proc) from the first booking sent until every
   * event was delivered, divided by the bookings answered OK: what one booking costs the server,
   * its fan-out to the dashboards included. NaN where /proc is not readable.
   */
  readonly cpuMsPerBooking: number;
  /** Events delivered per second of server CPU over the same span: deliveries/s one core sustains. */
  readonly deliveriesPerCoreSec: number;
}

/** What a server past its capacity answers: not a correctness failure, a finding (see the tables). */
const OVERLOAD_CODES = ['TIMEOUT', 'RATE_LIMITED', 'HTTP_503', 'HTTP_429'] as const;

/** CPU used so far by all of a target's server processes. */
export function targetCpuMs(target: Target): number {
  return target.instances.reduce((sum, instance) => sum + instance.cpuMs(), 0);
}

/**
 * Books `count` times at `ratePerSec` (open-loop), then waits (bounded) until every dashboard of
 * each booked doctor has its event, and counts what is missing or duplicated.
 */
export async function bookAndCollect(
  ctx: ScenarioContext,
  run: { tag: string; count: number; ratePerSec: number; socketsOfDoctor: number[][]; oneDoctor?: boolean },
): Promise<Delivery> {
  const { target } = ctx;
  const { accounts } = target;
  // Reserve the next `count` slots: of all doctors, or (fan-out) of doctor 0 in its own year.
  const plan: SlotPlan = run.oneDoctor ? accounts.fanoutPlan : accounts.plan;
  const firstIndex = run.oneDoctor ? accounts.nextFanoutIndex : accounts.nextIndex;
  if (run.oneDoctor) accounts.nextFanoutIndex += run.count;
  else accounts.nextIndex += run.count;
  const doctorIds = run.oneDoctor ? [accounts.doctors[0]!.id] : accounts.doctors.map((d) => d.id);
  const request: BookingRun = {
    urls: target.instances.map((instance) => instance.url),
    kind: target.kind,
    patients: target.accounts.patients,
    doctors: doctorIds,
    plan,
    firstIndex,
    count: run.count,
    ratePerSec: run.ratePerSec,
    tag: run.tag,
    timeoutMs: 30_000,
  };
  const cpuBefore = targetCpuMs(target);
  const bookings = await ctx.bookings.call<BookingResult>('run', request);
  const doctorOfBooking = (i: number) => slotOf(plan, firstIndex + i).doctor;
  let expectedEvents = 0;
  for (let i = 0; i < run.count; i++)
    if (bookings.responseMs[i]! >= 0) expectedEvents += run.socketsOfDoctor[doctorOfBooking(i)]?.length ?? 0;
  const received = async () =>
    (await Promise.all(ctx.dashboards.map((p) => p.call<number>('received', { tag: run.tag })))).reduce((a, b) => a + b, 0);
  await waitUntil('every event', async () => (await received()) >= expectedEvents, ctx.options.drainTimeoutMs, 50).catch(() => undefined);
  const cpuMs = targetCpuMs(target) - cpuBefore;
  const collected = await Promise.all(ctx.dashboards.map((p) => p.call<Recorded>('collect', { tag: run.tag })));

  const seen = new Map<number, number>();
  const mutationToEventMs: number[] = [];
  const commitToEventMs: number[] = [];
  const records: number[] = [];
  let anomalies = 0;
  let unconfirmedEvents = 0;
  let duplicated = 0;
  for (const part of collected) {
    anomalies += part.errors + part.foreign + part.unexpectedCloses;
    for (let j = 0; j < part.records.length; j += 4) {
      const socket = part.records[j]!;
      const booking = part.records[j + 1]!;
      const receivedAt = part.records[j + 2]!;
      const committedAt = part.records[j + 3]!;
      records.push(socket, booking, receivedAt, committedAt);
      const key = socket * 10_000_000 + booking;
      const times = (seen.get(key) ?? 0) + 1;
      seen.set(key, times);
      if (times > 1) {
        duplicated += 1;
        continue;
      }
      if (!(bookings.responseMs[booking]! >= 0)) {
        // A booking that timed out may still have committed: its event is right, just not required.
        unconfirmedEvents += 1;
        continue;
      }
      mutationToEventMs.push(receivedAt - bookings.dueMs[booking]!);
      if (Number.isFinite(committedAt)) commitToEventMs.push(receivedAt - committedAt);
    }
  }
  const uniqueExpectedReceived = mutationToEventMs.length;
  const errorCount = Object.values(bookings.errors).reduce((a, b) => a + b, 0);
  const booked = bookings.responseMs.filter((ms) => ms >= 0).length;
  return {
    booked,
    cpuMsPerBooking: booked > 0 ? cpuMs / booked : Number.NaN,
    deliveriesPerCoreSec: cpuMs > 0 ? uniqueExpectedReceived / (cpuMs / 1000) : Number.NaN,
    errors: bookings.errors,
    errorCount,
    expectedEvents,
    missing: expectedEvents - uniqueExpectedReceived,
    duplicated,
    anomalies,
    unconfirmedEvents,
    hardErrors: errorCount - OVERLOAD_CODES.reduce((sum, code) => sum + (bookings.errors[code] ?? 0), 0),
    maxSendLagMs: bookings.maxSendLagMs,
    bookings,
    mutationToEventMs,
    commitToEventMs,
    records,
  };
}

/** socketsOfDoctor[d] = indexes of the sockets watching doctor d. */
export function socketsByDoctor(doctorOfSocket: readonly number[], doctors: number): number[][] {
  const result: number[][] = Array.from({ length: doctors }, () => []);
  doctorOfSocket.forEach((doctor, socket) => result[doctor]!.push(socket));
  return result;
}
