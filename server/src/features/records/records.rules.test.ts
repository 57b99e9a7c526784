import { errorOf } from '../../../test/helpers/errors';
import { normalizeIcd10, validateMedicalRecord } from './records.rules';

describe('medical record rules', () => {
  it.each(['I10', 'E11.9', 'j45.909', 'C7A.0', 'S72.001A', ' m1a.0 '])('accepts the ICD-10 code %s, upper-cased', (code) => {
    expect(normalizeIcd10(code)).toBe(code.trim().toUpperCase());
  });

  it.each(['II0', '110', 'E11.', 'E11.12345', 'E1', 'hypertension'])('refuses %s as an ICD-10 code', (code) => {
    expect(errorOf(() => normalizeIcd10(code))).toEqual(['BAD_USER_INPUT', 'icd10Code']);
  });

  it('needs a diagnosis and keeps blank optional texts as null', () => {
    expect(errorOf(() => validateMedicalRecord({ diagnosis: '  ' }))).toEqual(['BAD_USER_INPUT', 'diagnosis']);
    expect(validateMedicalRecord({ diagnosis: ' Hypertension ', notes: ' ', icd10Code: '' })).toEqual({
      diagnosis: 'Hypertension',
      notes: null,
      icd10Code: null,
      supersedesId: null,
    });
  });

  it('bounds the length of the notes', () => {
    expect(errorOf(() => validateMedicalRecord({ diagnosis: 'x', notes: 'n'.repeat(10_001) }))).toEqual(['BAD_USER_INPUT', 'notes']);
  });
});
