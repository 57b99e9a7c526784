import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { DeskBooking } from './desk-booking';
import { SEARCH_PATIENTS } from './desk.graphql';

export interface PatientSearchProps {
  readonly practiceId: string;
  readonly doctors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/** The practice's patients by name, email or date of birth (YYYY-MM-DD), each with "Book for this patient". */
export function PatientSearch({ practiceId, doctors }: PatientSearchProps) {
  const [search, setSearch] = useState('');
  const [booking, setBooking] = useState<{ id: string; name: string } | null>(null);
  const { data, loading, error } = useQuery(SEARCH_PATIENTS, { variables: { practiceId, search: search.trim() || null, first: 20 } });
  const found = data?.practicePatients;
  return (
    <section className="panel" aria-labelledby="search-title">
      <div className="panel__header">
        <h2 id="search-title">Patients</h2>
        {found && <span className="muted">{found.totalCount} found</span>}
      </div>
      <label htmlFor="patient-search">Search by name, email or date of birth (YYYY-MM-DD)</label>
      <input id="patient-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      {loading && !data && <p role="status">Searching…</p>}
      {error && (
        <p role="alert" className="error">
          Could not search: {error.message}
        </p>
      )}
      {found && found.edges.length === 0 && <p className="muted">No patient of this practice matches.</p>}
      {found && found.edges.length > 0 && (
        <ul className="patient-results">
          {found.edges.map(({ node }) => (
            <li key={node.id} data-patient-id={node.id}>
              <span className="schedule__who">{node.name}</span>
              {node.dateOfBirth && <span className="muted small"> · born {node.dateOfBirth.slice(0, 10)}</span>}{' '}
              <button type="button" className="secondary" onClick={() => setBooking(node)} aria-label={`Book for ${node.name}`}>
                Book for this patient
              </button>
            </li>
          ))}
        </ul>
      )}
      {booking && (
        <DeskBooking key={booking.id} practiceId={practiceId} patient={booking} doctors={doctors} onDone={() => setBooking(null)} />
      )}
    </section>
  );
}
