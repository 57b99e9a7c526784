import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { navigate } from '../../router';
import type { Session } from '../../session';
import { viewerTimeZone } from '../../time';
import { REGISTER } from './auth.graphql';
import { toSession } from './to-session';

type Role = 'PATIENT' | 'DOCTOR' | 'STAFF';
type Field = 'name' | 'email' | 'password' | 'specialty' | 'timeZone' | 'dateOfBirth' | 'invitationCode';
const ROLE_LABELS: Readonly<Record<Role, string>> = { PATIENT: 'Patient', DOCTOR: 'Doctor', STAFF: 'Front desk' };

export function RegisterPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [role, setRole] = useState<Role>('PATIENT');
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    email: '',
    password: '',
    specialty: '',
    timeZone: viewerTimeZone,
    dateOfBirth: '',
    invitationCode: '',
  });
  const [problem, setProblem] = useState<{ field: Field | null; message: string } | null>(null);
  const [register, { loading }] = useMutation(REGISTER);

  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const { data } = await register({
        variables: {
          input: {
            role,
            name: values.name,
            email: values.email,
            password: values.password,
            ...(role === 'DOCTOR' ? { specialty: values.specialty, timeZone: values.timeZone || null } : {}),
            ...(role === 'PATIENT'
              ? { dateOfBirth: values.dateOfBirth ? new Date(`${values.dateOfBirth}T00:00:00Z`).toISOString() : null }
              : {}),
            invitationCode: values.invitationCode.trim() || null,
          },
        },
      });
      if (data) onSignedIn(toSession(data.register.token, data.register.user));
    } catch (error) {
      const { code, field, message } = apiProblem(error);
      if (code === 'CONFLICT') setProblem({ field: 'email', message: 'An account with this email already exists.' });
      else if (code === 'FORBIDDEN')
        setProblem({
          field: 'invitationCode',
          message:
            'This invitation code is not valid for this email and role (wrong, used or expired). Ask your practice admin for a new one.',
        });
      else setProblem({ field: isField(field) ? field : null, message });
    }
  };
  const errorFor = (field: Field) =>
    problem?.field === field ? (
      <p id={`register-${field}-error`} role="alert" className="field-error">
        {problem.message}
      </p>
    ) : null;
  const describedBy = (field: Field) => (problem?.field === field ? `register-${field}-error` : undefined);

  return (
    <div className="auth">
      <section className="panel auth__panel" aria-labelledby="register-title">
        <h1 id="register-title">Create an account</h1>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="segmented">
            <legend>I am a</legend>
            {(['PATIENT', 'DOCTOR', 'STAFF'] as const).map((option) => (
              <label key={option}>
                <input type="radio" name="role" value={option} checked={role === option} onChange={() => setRole(option)} />
                {ROLE_LABELS[option]}
              </label>
            ))}
          </fieldset>
          <label htmlFor="register-name">Full name</label>
          <input
            id="register-name"
            autoComplete="name"
            required
            value={values.name}
            onChange={set('name')}
            aria-describedby={describedBy('name')}
          />
          {errorFor('name')}
          <label htmlFor="register-email">Email</label>
          <input
            id="register-email"
            type="email"
            autoComplete="email"
            required
            value={values.email}
            onChange={set('email')}
            aria-describedby={describedBy('email')}
          />
          {errorFor('email')}
          <label htmlFor="register-password">
            Password <span className="muted">(at least 12 characters; a few unrelated words work well)</span>
          </label>
          <input
            id="register-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={values.password}
            onChange={set('password')}
            aria-describedby={describedBy('password')}
          />
          {errorFor('password')}
          <>
            <label htmlFor="register-invitation">
              Invitation code{' '}
              <span className="muted">{role === 'PATIENT' ? '(optional: from your practice)' : '(from your practice admin)'}</span>
            </label>
            <input
              id="register-invitation"
              autoComplete="off"
              value={values.invitationCode}
              onChange={set('invitationCode')}
              aria-describedby={describedBy('invitationCode')}
            />
            {errorFor('invitationCode')}
          </>
          {role === 'DOCTOR' && (
            <>
              <label htmlFor="register-specialty">Specialty</label>
              <input
                id="register-specialty"
                required
                value={values.specialty}
                onChange={set('specialty')}
                aria-describedby={describedBy('specialty')}
              />
              {errorFor('specialty')}
              <label htmlFor="register-timezone">Time zone</label>
              <input id="register-timezone" value={values.timeZone} onChange={set('timeZone')} aria-describedby={describedBy('timeZone')} />
              {errorFor('timeZone')}
            </>
          )}
          {role === 'PATIENT' && (
            <>
              <label htmlFor="register-dob">
                Date of birth <span className="muted">(optional)</span>
              </label>
              <input
                id="register-dob"
                type="date"
                value={values.dateOfBirth}
                onChange={set('dateOfBirth')}
                aria-describedby={describedBy('dateOfBirth')}
              />
              {errorFor('dateOfBirth')}
            </>
          )}
          {problem && problem.field === null && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <button type="submit" disabled={loading}>
            {loading ? 'Creating…' : 'Create account'}
          </button>
        </form>
        <p>
          Already registered?{' '}
          <a
            href="/signin"
            onClick={(e) => {
              e.preventDefault();
              navigate('/signin');
            }}
          >
            Sign in
          </a>
        </p>
      </section>
    </div>
  );
}

const FIELDS: readonly Field[] = ['name', 'email', 'password', 'specialty', 'timeZone', 'dateOfBirth', 'invitationCode'];
function isField(value: string | undefined): value is Field {
  return FIELDS.some((field) => field === value);
}
