import { z } from 'zod';
import type { Sql, Statement } from '../../platform/sql';
import { timestamp } from '../../platform/sql-values';

/** A record as written: its columns, and (new) nothing supersedes it yet. */
export interface StoredRecord {
  readonly id: string;
  readonly patientId: string;
  readonly doctorId: string;
  readonly diagnosis: string;
  readonly notes: string | null;
  readonly icd10Code: string | null;
  readonly createdAt: Date;
  readonly supersedesId: string | null;
}

/**
 * Appends a record (records are never changed: a correction is a new row naming the one it
 * supersedes, and the unique supersedes_id refuses a second correction of one record).
 */
const INSERT_RECORD: Statement = {
  name: 'records_insert',
  text: `
    INSERT INTO medical_records (patient_id, doctor_id, diagnosis, notes, icd10_code, supersedes_id, created_at)
    VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::uuid, $7::timestamptz)
    RETURNING id, patient_id, doctor_id, diagnosis, notes, icd10_code, supersedes_id, created_at`,
};

const RecordColumns = z.object({
  id: z.string(),
  patient_id: z.string(),
  doctor_id: z.string(),
  diagnosis: z.string(),
  notes: z.string().nullable(),
  icd10_code: z.string().nullable(),
  supersedes_id: z.string().nullable(),
  created_at: timestamp,
});

/** INSERT_RECORD in the caller's transaction. */
export async function insertRecord(tx: Sql, record: Omit<StoredRecord, 'id'>): Promise<StoredRecord> {
  const [raw] = await tx.query(INSERT_RECORD, [
    record.patientId,
    record.doctorId,
    record.diagnosis,
    record.notes,
    record.icd10Code,
    record.supersedesId,
    record.createdAt.toISOString(),
  ]);
  const row = RecordColumns.parse(raw);
  return {
    id: row.id,
    patientId: row.patient_id,
    doctorId: row.doctor_id,
    diagnosis: row.diagnosis,
    notes: row.notes,
    icd10Code: row.icd10_code,
    supersedesId: row.supersedes_id,
    createdAt: row.created_at,
  };
}
