import { z } from 'zod';
import type { Vitals } from './vitals.type';

/** The vitals columns the API shows, as Prisma returns them. */
export interface VitalsRow {
  id: string;
  recordedAt: Date;
  heartRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  temperatureC: number | null;
  spo2Percent: number | null;
  respiratoryRate: number | null;
  weightKg: number | null;
}

/** Vitals as they cross pub/sub and sit in the outbox: plain JSON, the date as an ISO string. */
export const VitalsJson = z.object({
  id: z.string(),
  recordedAt: z.iso.datetime(),
  heartRate: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  temperatureC: z.number().nullable(),
  spo2Percent: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  weightKg: z.number().nullable(),
});
export type VitalsJson = z.infer<typeof VitalsJson>;

export const VITALS_SELECT = {
  id: true,
  recordedAt: true,
  heartRate: true,
  systolic: true,
  diastolic: true,
  temperatureC: true,
  spo2Percent: true,
  respiratoryRate: true,
  weightKg: true,
} as const;

export function toVitals(row: VitalsRow): Vitals {
  return { ...row };
}

export function serializeVitals(row: VitalsRow): VitalsJson {
  return { ...row, recordedAt: row.recordedAt.toISOString() };
}

export function deserializeVitals(json: VitalsJson): Vitals {
  return { ...json, recordedAt: new Date(json.recordedAt) };
}
