import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { RecordVitalsInput } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatDateTime } from '../../time';
import { applyVitalsRecorded } from './clinic-events';
import { FieldError } from './field-error';
import { PATIENT_VITALS, RECORD_VITALS } from './patient-detail.graphql';
import { VitalsChart } from './vitals-chart';

type VitalsField = keyof RecordVitalsInput;

// The ranges are the server's (server/src/features/vitals/vitals.rules.ts), checked here too so
// that every out-of-range value is explained at once, before a round trip; the server still decides.
const FIELDS: ReadonlyArray<{ name: VitalsField; label: string; step: string; min: number; max: number; unit: string }> = [
  { name: 'heartRate', label: 'Heart rate (beats/min)', step: '1', min: 20, max: 250, unit: 'beats per minute' },
  { name: 'systolic', label: 'Systolic (mmHg)', step: '1', min: 50, max: 260, unit: 'mmHg' },
  { name: 'diastolic', label: 'Diastolic (mmHg)', step: '1', min: 20, max: 160, unit: 'mmHg' },
  { name: 'temperatureC', label: 'Temperature (°C)', step: '0.1', min: 30, max: 45, unit: '°C' },
  { name: 'spo2Percent', label: 'SpO₂ (%)', step: '1', min: 50, max: 100, unit: '%' },
  { name: 'respiratoryRate', label: 'Respiratory rate (breaths/min)', step: '1', min: 4, max: 60, unit: 'breaths per minute' },
  { name: 'weightKg', label: 'Weight (kg)', step: '0.1', min: 0.3, max: 500, unit: 'kg' },
];

/** Every problem of the form at once, by field (`form` for the form as a whole), in plain words. */
export function checkVitals(values: Readonly<Record<VitalsField, string>>): { input: RecordVitalsInput; problems: Record<string, string> } {
  const input: RecordVitalsInput = {};
  const problems: Record<string, string> = {};
  for (const { name, step, min, max, unit } of FIELDS) {
    const raw = values[name].trim();
    if (raw === '') continue;
    const number = Number(raw);
    if (!Number.isFinite(number)) problems[name] = 'Enter a number.';
    else if (step === '1' && !Number.isInteger(number)) problems[name] = 'Enter a whole number.';
    else if (number < min || number > max) problems[name] = `Enter a value from ${min} to ${max} ${unit}.`;
    else input[name] = number;
  }
  const bothPressures = (values.systolic.trim() === '') === (values.diastolic.trim() === '');
  if (!bothPressures)
    problems[values.systolic.trim() === '' ? 'systolic' : 'diastolic'] ??= 'Blood pressure needs both systolic and diastolic.';
  if (input.systolic != null && input.diastolic != null && input.systolic <= input.diastolic)
    problems['systolic'] ??= 'Systolic must be higher than diastolic.';
  if (Object.keys(input).length === 0 && Object.keys(problems).length === 0) problems['form'] = 'Enter at least one measurement.';
  return { input, problems };
}

const EMPTY: Record<VitalsField, string> = {
  heartRate: '',
  systolic: '',
  diastolic: '',
  temperatureC: '',
  spo2Percent: '',
  respiratoryRate: '',
  weightKg: '',
};

/** The patient's vitals: a trend, the latest readings, and the form a doctor records new ones with. */
export function VitalsSection({ patientId }: { patientId: string }) {
  const { data, loading, error } = useQuery(PATIENT_VITALS, { variables: { patientId }, fetchPolicy: 'cache-and-network' });
  const [values, setValues] = useState(EMPTY);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  // The reading is merged like a live vitalsRecorded event (the event itself arrives too: merging is idempotent).
  const [record, { loading: saving }] = useMutation(RECORD_VITALS, {
    update: (cache, { data: result }) => {
      if (result)
        applyVitalsRecorded(cache, {
          patient: { __typename: 'Patient', id: patientId, latestVitals: result.recordVitals },
          vitals: result.recordVitals,
        });
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const { input, problems: found } = checkVitals(values);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    try {
      await record({ variables: { patientId, input } });
      setValues(EMPTY);
      setSaved(true);
    } catch (failure) {
      const { field, message } = apiProblem(failure);
      setProblems({ [field && field in EMPTY ? field : 'form']: message });
    }
  };

  const readings = data?.patientVitals ?? [];
  const errorId = (name: string) => `vitals-${name}-error`;
  return (
    <section aria-labelledby="detail-vitals-title" className="detail__section">
      <h3 id="detail-vitals-title">Vitals</h3>
      {loading && !data && <p role="status">Loading vitals…</p>}
      {error && !data && (
        <p role="alert" className="error">
          Could not load the vitals: {error.message}
        </p>
      )}
      {data && readings.length === 0 && <p className="muted">No vitals recorded yet.</p>}
      {readings.length > 0 && (
        <>
          <VitalsChart readings={readings} />
          <table className="readings" data-testid="vitals-history">
            <caption className="visually-hidden">Vitals, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">HR</th>
                <th scope="col">BP</th>
                <th scope="col">°C</th>
                <th scope="col">SpO₂</th>
              </tr>
            </thead>
            <tbody>
              {readings.slice(0, 5).map((reading) => (
                <tr key={reading.id}>
                  <td>
                    <time dateTime={reading.recordedAt}>{formatDateTime(reading.recordedAt)}</time>
                  </td>
                  <td>{reading.heartRate ?? '–'}</td>
                  <td>{reading.systolic != null && reading.diastolic != null ? `${reading.systolic}/${reading.diastolic}` : '–'}</td>
                  <td>{reading.temperatureC?.toFixed(1) ?? '–'}</td>
                  <td>{reading.spo2Percent != null ? `${reading.spo2Percent}%` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="record-vitals-title" className="detail__form">
        <h4 id="record-vitals-title">Record vitals</h4>
        <div className="fields">
          {FIELDS.map(({ name, label, step }) => (
            <div key={name}>
              <label htmlFor={`vitals-${name}`}>{label}</label>
              <input
                id={`vitals-${name}`}
                type="number"
                inputMode="decimal"
                step={step}
                value={values[name]}
                onChange={(e) => setValues((current) => ({ ...current, [name]: e.target.value }))}
                aria-invalid={problems[name] !== undefined}
                aria-describedby={problems[name] !== undefined ? errorId(name) : undefined}
              />
              <FieldError id={errorId(name)} message={problems[name]} />
            </div>
          ))}
        </div>
        <FieldError id="vitals-form-error" message={problems['form']} />
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Record vitals'}
        </button>
        {saved && (
          <p role="status" className="success">
            Vitals recorded.
          </p>
        )}
      </form>
    </section>
  );
}
