import { errorOf } from '../../../test/helpers/errors';
import { validateHistorySize, validateVitals, VITALS_RANGES, type VitalsMeasurements } from './vitals.rules';

/** A valid reading with one field replaced; blood pressure stays a valid pair unless the field is part of it. */
function withValue(field: keyof VitalsMeasurements, value: number): VitalsMeasurements {
  const base: VitalsMeasurements = { heartRate: 70, systolic: 120, diastolic: 80 };
  if (field === 'systolic') return { ...base, systolic: value, diastolic: 20 };
  if (field === 'diastolic') return { ...base, systolic: 260, diastolic: value };
  return { ...base, [field]: value };
}

describe('vitals range checks', () => {
  const fields = Object.keys(VITALS_RANGES) as Array<keyof VitalsMeasurements>;

  it.each(fields)('accepts %s at both ends of its range', (field) => {
    const { min, max } = VITALS_RANGES[field];
    expect(validateVitals(withValue(field, min))[field]).toBe(min);
    expect(validateVitals(withValue(field, max))[field]).toBe(max);
  });

  it.each(fields)('refuses %s just outside its range with BAD_USER_INPUT naming the field', (field) => {
    const { min, max, whole } = VITALS_RANGES[field];
    const step = whole ? 1 : 0.1;
    expect(errorOf(() => validateVitals(withValue(field, min - step)))).toEqual(['BAD_USER_INPUT', field]);
    expect(errorOf(() => validateVitals(withValue(field, max + step)))).toEqual(['BAD_USER_INPUT', field]);
  });

  it('refuses a fraction where a whole number is measured, and anything not finite', () => {
    expect(errorOf(() => validateVitals({ heartRate: 72.5 }))).toEqual(['BAD_USER_INPUT', 'heartRate']);
    expect(errorOf(() => validateVitals({ temperatureC: Number.NaN }))).toEqual(['BAD_USER_INPUT', 'temperatureC']);
  });

  it('accepts fractions of a degree and of a kilogram', () => {
    expect(validateVitals({ temperatureC: 37.2, weightKg: 71.4 })).toMatchObject({ temperatureC: 37.2, weightKg: 71.4, heartRate: null });
  });

  it('needs at least one measurement', () => {
    expect(errorOf(() => validateVitals({}))).toEqual(['BAD_USER_INPUT', 'input']);
  });

  it('needs blood pressure as a pair with systolic above diastolic', () => {
    expect(errorOf(() => validateVitals({ systolic: 120 }))).toEqual(['BAD_USER_INPUT', 'diastolic']);
    expect(errorOf(() => validateVitals({ diastolic: 80 }))).toEqual(['BAD_USER_INPUT', 'systolic']);
    expect(errorOf(() => validateVitals({ systolic: 80, diastolic: 80 }))).toEqual(['BAD_USER_INPUT', 'systolic']);
  });

  it('bounds the history page size', () => {
    expect(validateHistorySize(100)).toBe(100);
    expect(errorOf(() => validateHistorySize(0))).toEqual(['BAD_USER_INPUT', 'first']);
    expect(errorOf(() => validateHistorySize(101))).toEqual(['BAD_USER_INPUT', 'first']);
  });
});
