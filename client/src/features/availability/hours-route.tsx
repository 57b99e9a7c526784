import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import type { Session } from '../../session';
import { ADMIN_PRACTICE_DOCTORS, SET_BOOKABLE_WITHOUT_HOURS } from './availability.graphql';
import { WorkingHoursPage } from './working-hours-page';

/**
 * `/hours`: a doctor keeps their own hours; an admin of a practice picks any of its doctors (the
 * server lets admins change them) and decides whether doctors without hours can be booked.
 */
export function HoursRoute({ session }: { session: Session }) {
  if (!session.admin) return <WorkingHoursPage doctorId={session.userId} />;
  return <AdminHours session={session} />;
}

function AdminHours({ session }: { session: Session }) {
  const { data, error } = useQuery(ADMIN_PRACTICE_DOCTORS);
  const practice = data?.me?.adminOf[0];
  const doctors = practice?.doctors ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  const doctorId = picked ?? (session.role === 'DOCTOR' ? session.userId : (doctors[0]?.id ?? null));
  if (error)
    return (
      <p role="alert" className="error">
        Could not load the practice's doctors.
      </p>
    );
  if (!practice) return <p role="status">Loading the practice's doctors…</p>;
  const picker = (
    <div className="panel hours-admin">
      <label htmlFor="hours-doctor">Doctor</label>{' '}
      <select id="hours-doctor" value={doctorId ?? ''} onChange={(e) => setPicked(e.target.value)}>
        {doctors.map((doctor) => (
          <option key={doctor.id} value={doctor.id}>
            {doctor.name}
          </option>
        ))}
      </select>
      <BookableWithoutHours practiceId={practice.id} allowed={practice.bookableWithoutHours} />
    </div>
  );
  if (!doctorId)
    return (
      <div className="dashboard working-hours">
        <h1>Working hours and days off</h1>
        {picker}
        <p className="muted">The practice has no doctors yet.</p>
      </div>
    );
  return <WorkingHoursPage key={doctorId} doctorId={doctorId} header={picker} />;
}

/** The practice's setting: are its doctors without working hours offered for booking (at any time)? */
function BookableWithoutHours({ practiceId, allowed }: { practiceId: string; allowed: boolean }) {
  const [save, { loading }] = useMutation(SET_BOOKABLE_WITHOUT_HOURS);
  const [problem, setProblem] = useState<string | null>(null);
  const change = async (next: boolean) => {
    setProblem(null);
    try {
      await save({ variables: { practiceId, allowed: next } });
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={allowed} disabled={loading} onChange={(e) => void change(e.target.checked)} /> Patients can book
        doctors who have no working hours, at any time
      </label>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </>
  );
}
