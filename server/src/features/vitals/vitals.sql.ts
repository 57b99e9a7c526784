import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';
import type { VitalsMeasurements } from './vitals.rules';
import type { VitalsRow } from './vitals.mapper';

const VITALS_COLUMNS = 'id, recorded_at, heart_rate, systolic, diastolic, temperature_c, spo2_percent, respiratory_rate, weight_kg';

const VitalsColumns = z.object({
  id: z.string(),
  recorded_at: timestamp,
  heart_rate: z.number().int().nullable(),
  systolic: z.number().int().nullable(),
  diastolic: z.number().int().nullable(),
  temperature_c: z.number().nullable(),
  spo2_percent: z.number().int().nullable(),
  respiratory_rate: z.number().int().nullable(),
  weight_kg: z.number().nullable(),
});

function toRow(row: z.infer<typeof VitalsColumns>): VitalsRow {
  return {
    id: row.id,
    recordedAt: row.recorded_at,
    heartRate: row.heart_rate,
    systolic: row.systolic,
    diastolic: row.diastolic,
    temperatureC: row.temperature_c,
    spo2Percent: row.spo2_percent,
    respiratoryRate: row.respiratory_rate,
    weightKg: row.weight_kg,
  };
}

/** Measurements to store: whose, who took them (null: imported, as the demo's history), and when. */
export interface NewVitals extends VitalsMeasurements {
  readonly patientId: string;
  readonly recordedById: string | null;
  readonly recordedAt: Date;
}

/** Any number of measurements in one statement. */
const INSERT_VITALS: Statement = {
  name: 'vitals_insert',
  text: `
    INSERT INTO vitals (patient_id, recorded_by_id, recorded_at, heart_rate, systolic, diastolic, temperature_c, spo2_percent,
                        respiratory_rate, weight_kg)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::int[],
                         $9::int[], $10::float8[])
    RETURNING ${VITALS_COLUMNS}`,
};

/** Stores the measurements in the caller's transaction; the rows as stored, in order. */
export async function insertVitals(tx: Sql, rows: readonly NewVitals[]): Promise<VitalsRow[]> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (row: NewVitals) => T): T[] => rows.map(pick);
  const stored = await tx.query(INSERT_VITALS, [
    column((r) => r.patientId),
    column((r) => r.recordedById),
    column((r) => r.recordedAt.toISOString()),
    column((r) => r.heartRate ?? null),
    column((r) => r.systolic ?? null),
    column((r) => r.diastolic ?? null),
    column((r) => r.temperatureC ?? null),
    column((r) => r.spo2Percent ?? null),
    column((r) => r.respiratoryRate ?? null),
    column((r) => r.weightKg ?? null),
  ]);
  return stored.map((raw) => toRow(VitalsColumns.parse(raw)));
}

/** Each patient's most recent measurements: one row per patient that has any. */
const LATEST_VITALS: Statement = {
  name: 'vitals_latest_of_patients',
  text: `
    SELECT DISTINCT ON (patient_id) patient_id, ${VITALS_COLUMNS}
    FROM vitals WHERE patient_id = ANY($1::uuid[])
    ORDER BY patient_id, recorded_at DESC`,
};

const LatestColumns = VitalsColumns.extend({ patient_id: z.string() });

/** The latest measurements of these patients, by patient id (absent: none recorded). */
export async function readLatestVitals(sql: Sql, patientIds: readonly string[]): Promise<Map<string, VitalsRow>> {
  const rows = await sql.query(LATEST_VITALS, [[...patientIds]]);
  return new Map(
    rows.map((raw) => {
      const row = LatestColumns.parse(raw);
      return [row.patient_id, toRow(row)];
    }),
  );
}
