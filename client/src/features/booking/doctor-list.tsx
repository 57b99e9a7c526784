import type { DoctorCardFragment } from '../../__generated__/graphql';

export interface DoctorListProps {
  readonly doctors: readonly DoctorCardFragment[];
  readonly selectedId: string | null;
  readonly onSelect: (doctorId: string) => void;
  readonly errorId?: string;
}

/** The doctors to choose from, as a radio group (arrow keys move between them). */
export function DoctorList({ doctors, selectedId, onSelect, errorId }: DoctorListProps) {
  return (
    <fieldset className="doctors" aria-describedby={errorId}>
      <legend>Doctor</legend>
      {doctors.map((doctor) => (
        <label key={doctor.id} className={`doctor${doctor.id === selectedId ? ' is-selected' : ''}`}>
          <input type="radio" name="doctor" value={doctor.id} checked={doctor.id === selectedId} onChange={() => onSelect(doctor.id)} />
          <span className="doctor__name">{doctor.name}</span>
          <span className="muted">{doctor.specialty}</span>
          <span className="muted small">Works in {doctor.timeZone.replace(/_/g, ' ')}</span>
        </label>
      ))}
    </fieldset>
  );
}
