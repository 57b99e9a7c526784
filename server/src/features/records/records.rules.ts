import { badUserInput } from '../../platform/errors';
import { optionalText, requiredText } from '../../platform/validation';

export const MAX_DIAGNOSIS_LENGTH = 500;
export const MAX_NOTES_LENGTH = 10_000;
export const DEFAULT_RECORDS_SIZE = 100;
export const MAX_RECORDS_SIZE = 200;

/**
 * ICD-10 shape (WHO and the longer ICD-10-CM): a letter, two digits or a digit and a letter
 * (C7A, M1A), then optionally a dot and 1-4 characters. Whether the code exists in a release is
 * not checked here; the shape catches typos such as "II0" or "110" and free text.
 */
const ICD10 = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

export interface MedicalRecordRequest {
  readonly diagnosis: string;
  readonly notes?: string | null;
  readonly icd10Code?: string | null;
  readonly supersedesId?: string | null;
}

export interface ValidMedicalRecord {
  readonly diagnosis: string;
  readonly notes: string | null;
  readonly icd10Code: string | null;
  readonly supersedesId: string | null;
}

/** Normalised ICD-10 code ("i10" -> "I10"), or BAD_USER_INPUT. */
export function normalizeIcd10(code: string): string {
  const normalized = code.trim().toUpperCase();
  if (!ICD10.test(normalized)) throw badUserInput(`icd10Code "${code}" is not an ICD-10 code such as "I10" or "E11.9".`, 'icd10Code');
  return normalized;
}

/** Checks a record's texts and code; BAD_USER_INPUT names the field. */
export function validateMedicalRecord(request: MedicalRecordRequest): ValidMedicalRecord {
  const code = optionalText(request.icd10Code, 'icd10Code', 16);
  return {
    diagnosis: requiredText(request.diagnosis, 'diagnosis', MAX_DIAGNOSIS_LENGTH),
    notes: optionalText(request.notes, 'notes', MAX_NOTES_LENGTH),
    icd10Code: code === null ? null : normalizeIcd10(code),
    supersedesId: optionalText(request.supersedesId, 'supersedesId', 64),
  };
}

/** BAD_USER_INPUT unless the page size is within bounds. */
export function validateRecordsSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_RECORDS_SIZE) {
    throw badUserInput(`first must be a whole number from 1 to ${MAX_RECORDS_SIZE}.`, 'first');
  }
  return first;
}
