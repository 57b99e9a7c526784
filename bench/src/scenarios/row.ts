import type { ScenarioName } from '../options';
import type { TargetName } from '../targets';

/** One scenario's result on one target: what goes in the table and in bench/results/<scenario>.json. */
export interface ScenarioRow {
  readonly scenario: ScenarioName;
  readonly target: TargetName;
  /** Headline numbers (ms, bookings/s, bytes...), named; null when not measured. */
  readonly metrics: Record<string, number | null>;
  /** Metrics that get a "x floor" ratio (same metric on the floor divided into this one). */
  readonly ratioKeys: readonly string[];
  /** Missing or duplicated events, or anomalies: the run fails when this is not 0. */
  readonly deliveryFailures: number;
  /** Anything else worth keeping (steps, curves, error counts). */
  readonly details: Record<string, unknown>;
}
