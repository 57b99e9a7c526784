import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { MedicalRecordItemFragment } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatDateTime } from '../../time';
import { FieldError } from './field-error';
import { ADD_MEDICAL_RECORD, PATIENT_RECORDS } from './patient-detail.graphql';

type RecordField = 'diagnosis' | 'icd10Code' | 'notes';
const EMPTY: Record<RecordField, string> = { diagnosis: '', icd10Code: '', notes: '' };

/**
 * The patient's medical records, newest first, every version: a corrected record stays (records are
 * append-only) and is marked as superseded. A doctor adds a record, or corrects one of their own.
 */
export function RecordsSection({ patientId, doctorId }: { patientId: string; doctorId: string }) {
  const { data, loading, error } = useQuery(PATIENT_RECORDS, { variables: { patientId }, fetchPolicy: 'cache-and-network' });
  const [values, setValues] = useState(EMPTY);
  const [correcting, setCorrecting] = useState<MedicalRecordItemFragment | null>(null);
  const [problem, setProblem] = useState<{ field: RecordField | null; message: string } | null>(null);
  const [add, { loading: saving }] = useMutation(ADD_MEDICAL_RECORD, { refetchQueries: [PATIENT_RECORDS], awaitRefetchQueries: true });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values.diagnosis.trim()) return setProblem({ field: 'diagnosis', message: 'Enter a diagnosis.' });
    setProblem(null);
    try {
      await add({
        variables: {
          patientId,
          input: {
            diagnosis: values.diagnosis.trim(),
            icd10Code: values.icd10Code.trim() || null,
            notes: values.notes.trim() || null,
            supersedesId: correcting?.id ?? null,
          },
        },
      });
      setValues(EMPTY);
      setCorrecting(null);
    } catch (failure) {
      const { field, message } = apiProblem(failure);
      setProblem({ field: field === 'diagnosis' || field === 'icd10Code' || field === 'notes' ? field : null, message });
    }
  };

  const startCorrection = (record: MedicalRecordItemFragment) => {
    setCorrecting(record);
    setProblem(null);
    setValues({ diagnosis: record.diagnosis, icd10Code: record.icd10Code ?? '', notes: record.notes ?? '' });
  };

  const records = data?.patientMedicalRecords ?? [];
  const field = (name: RecordField, label: string, multiline = false) => {
    const describedBy = problem?.field === name ? `record-${name}-error` : undefined;
    const common = {
      id: `record-${name}`,
      value: values[name],
      'aria-invalid': problem?.field === name,
      'aria-describedby': describedBy,
    };
    return (
      <div>
        <label htmlFor={`record-${name}`}>{label}</label>
        {multiline ? (
          <textarea {...common} rows={3} maxLength={10_000} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} />
        ) : (
          <input {...common} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} />
        )}
        <FieldError id={`record-${name}-error`} message={problem?.field === name ? problem.message : null} />
      </div>
    );
  };

  return (
    <section aria-labelledby="detail-records-title" className="detail__section">
      <h3 id="detail-records-title">Medical records</h3>
      {loading && !data && <p role="status">Loading records…</p>}
      {error && !data && (
        <p role="alert" className="error">
          Could not load the records: {error.message}
        </p>
      )}
      {data && records.length === 0 && <p className="muted">No records yet.</p>}
      {records.length > 0 && (
        <ul className="records" data-testid="medical-records">
          {records.map((record) => (
            <li key={record.id} className={record.supersededById ? 'is-superseded' : undefined} data-record-id={record.id}>
              <span className="record__diagnosis">
                {record.diagnosis}
                {record.icd10Code && <span className="muted"> · {record.icd10Code}</span>}
                {record.supersededById && <span className="tag">Superseded</span>}
                {record.supersedesId && <span className="tag">Correction</span>}
              </span>
              {record.notes && <span>{record.notes}</span>}
              <span className="muted small">
                {record.doctor.name}, {formatDateTime(record.createdAt)}
              </span>
              {!record.supersededById && record.doctor.id === doctorId && (
                <button type="button" className="link" onClick={() => startCorrection(record)}>
                  Correct this record
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="add-record-title" className="detail__form">
        <h4 id="add-record-title">{correcting ? `Correct “${correcting.diagnosis}”` : 'Add a record'}</h4>
        {field('diagnosis', 'Diagnosis')}
        {field('icd10Code', 'ICD-10 code (optional)')}
        {field('notes', 'Notes (optional)', true)}
        <FieldError id="record-form-error" message={problem && problem.field === null ? problem.message : null} />
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : correcting ? 'Save the correction' : 'Add record'}
          </button>
          {correcting && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setCorrecting(null);
                setValues(EMPTY);
              }}
            >
              Cancel the correction
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
