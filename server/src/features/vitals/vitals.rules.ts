import { badUserInput } from '../../platform/errors';

/** The measurements a desk can take; each optional, at least one per recording. */
export interface VitalsMeasurements {
  readonly heartRate?: number | null;
  readonly systolic?: number | null;
  readonly diastolic?: number | null;
  readonly temperatureC?: number | null;
  readonly spo2Percent?: number | null;
  readonly respiratoryRate?: number | null;
  readonly weightKg?: number | null;
}

export type ValidVitals = { readonly [K in keyof VitalsMeasurements]-?: number | null };

interface Range {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly whole: boolean;
}

/**
 * What a living patient can measure, generously: outside these a value is a typo or a unit mix-up
 * (98.6 entered as Celsius, pounds as kilograms), not a reading to chart.
 */
export const VITALS_RANGES: Readonly<Record<keyof VitalsMeasurements, Range>> = {
  heartRate: { min: 20, max: 250, unit: 'beats per minute', whole: true },
  systolic: { min: 50, max: 260, unit: 'mmHg', whole: true },
  diastolic: { min: 20, max: 160, unit: 'mmHg', whole: true },
  temperatureC: { min: 30, max: 45, unit: 'degrees Celsius', whole: false },
  spo2Percent: { min: 50, max: 100, unit: 'percent', whole: true },
  respiratoryRate: { min: 4, max: 60, unit: 'breaths per minute', whole: true },
  weightKg: { min: 0.3, max: 500, unit: 'kilograms', whole: false },
};

const FIELDS = Object.keys(VITALS_RANGES) as Array<keyof VitalsMeasurements>;

/** Each measurement within its range, blood pressure as a pair with systolic above diastolic; BAD_USER_INPUT names the field. */
export function validateVitals(input: VitalsMeasurements): ValidVitals {
  const valid = {} as Record<keyof VitalsMeasurements, number | null>;
  for (const field of FIELDS) {
    const value = input[field] ?? null;
    const range = VITALS_RANGES[field];
    if (value !== null) {
      if (!Number.isFinite(value) || (range.whole && !Number.isInteger(value))) {
        throw badUserInput(`${field} must be a ${range.whole ? 'whole number' : 'number'} of ${range.unit}.`, field);
      }
      if (value < range.min || value > range.max) {
        throw badUserInput(`${field} must be from ${range.min} to ${range.max} ${range.unit}.`, field);
      }
    }
    valid[field] = value;
  }
  if (FIELDS.every((field) => valid[field] === null)) throw badUserInput('Record at least one measurement.', 'input');
  if ((valid.systolic === null) !== (valid.diastolic === null)) {
    throw badUserInput('Blood pressure needs both systolic and diastolic.', valid.systolic === null ? 'systolic' : 'diastolic');
  }
  if (valid.systolic !== null && valid.diastolic !== null && valid.systolic <= valid.diastolic) {
    throw badUserInput('systolic must be higher than diastolic.', 'systolic');
  }
  return valid;
}

export const DEFAULT_HISTORY_SIZE = 20;
export const MAX_HISTORY_SIZE = 100;

/** BAD_USER_INPUT unless the page size is within bounds. */
export function validateHistorySize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_HISTORY_SIZE) {
    throw badUserInput(`first must be a whole number from 1 to ${MAX_HISTORY_SIZE}.`, 'first');
  }
  return first;
}
