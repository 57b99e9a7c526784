import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { formatDateTime } from '../../time';
import { CREATE_INVITATION, PRACTICE_MEMBERS } from './members.graphql';

type InvitedRole = 'DOCTOR' | 'STAFF' | 'PATIENT';

const ROLE_LABELS: Readonly<Record<InvitedRole, string>> = { DOCTOR: 'Doctor', STAFF: 'Front desk', PATIENT: 'Patient' };

/**
 * Invite a doctor, a staff member or a patient by email (a patient joins the practice's patient
 * list, so the front desk may book for them; never an admin). The code is shown here once: the
 * server keeps only its hash.
 */
export function InviteForm({ practiceId }: { practiceId: string }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitedRole>('DOCTOR');
  const [admin, setAdmin] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ email: string; code: string; expiresAt: string } | null>(null);
  const [invite, { loading }] = useMutation(CREATE_INVITATION, { refetchQueries: [PRACTICE_MEMBERS] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setIssued(null);
    try {
      const { data } = await invite({ variables: { input: { practiceId, role, email, admin: role !== 'PATIENT' && admin } } });
      const invitation = data?.createInvitation;
      if (invitation?.code) {
        setIssued({ email: invitation.email, code: invitation.code, expiresAt: invitation.expiresAt });
        setEmail('');
        setAdmin(false);
      }
    } catch (error) {
      setProblem(apiProblem(error).message);
    }
  };

  return (
    <form className="invite-form" onSubmit={(event) => void submit(event)} aria-labelledby="invite-title" noValidate>
      <h2 id="invite-title">Invite a doctor, staff member or patient</h2>
      <label htmlFor="invite-email">Email</label>
      <input id="invite-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <fieldset className="segmented">
        <legend>Role</legend>
        {(['DOCTOR', 'STAFF', 'PATIENT'] as const).map((option) => (
          <label key={option}>
            <input type="radio" name="invite-role" value={option} checked={role === option} onChange={() => setRole(option)} />
            {ROLE_LABELS[option]}
          </label>
        ))}
      </fieldset>
      {role !== 'PATIENT' && (
        <label className="checkbox">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Practice admin (may invite members)
        </label>
      )}
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      <button type="submit" disabled={loading}>
        {loading ? 'Inviting…' : 'Create invitation'}
      </button>
      {issued && (
        <div role="status" className="success invitation-code">
          <p>
            Invitation for <strong>{issued.email}</strong>, valid until {formatDateTime(issued.expiresAt)}. Give them this code; it is shown
            only now:
          </p>
          <code data-testid="invitation-code">{issued.code}</code>
        </div>
      )}
    </form>
  );
}
