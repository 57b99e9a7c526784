import { describe, expect, it } from 'vitest';
import { checkVitals } from './vitals-section';

const blank = { heartRate: '', systolic: '', diastolic: '', temperatureC: '', spo2Percent: '', respiratoryRate: '', weightKg: '' };

describe('checkVitals', () => {
  it('reports every invalid measurement at once, in plain words', () => {
    const { problems } = checkVitals({ ...blank, heartRate: '900', temperatureC: '98.6', spo2Percent: 'x' });
    expect(problems).toEqual({
      heartRate: 'Enter a value from 20 to 250 beats per minute.',
      temperatureC: 'Enter a value from 30 to 45 °C.',
      spo2Percent: 'Enter a number.',
    });
  });

  it('asks for both blood pressures, systolic above diastolic', () => {
    expect(checkVitals({ ...blank, systolic: '120' }).problems).toEqual({ diastolic: 'Blood pressure needs both systolic and diastolic.' });
    expect(checkVitals({ ...blank, systolic: '80', diastolic: '90' }).problems).toEqual({
      systolic: 'Systolic must be higher than diastolic.',
    });
  });

  it('passes valid readings on, and asks for one when the form is empty', () => {
    expect(checkVitals({ ...blank, heartRate: '72', weightKg: '70.5' })).toEqual({
      input: { heartRate: 72, weightKg: 70.5 },
      problems: {},
    });
    expect(checkVitals(blank).problems).toEqual({ form: 'Enter at least one measurement.' });
  });
});
