import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { navigate } from '../../router';
import { CHANGE_PASSWORD, LOGOUT_EVERYWHERE, MY_SESSIONS } from './account.graphql';
import { formatDateTime } from '../../time';
import { JoinPracticeForm } from './join-practice-form';
import { ConnectedApps } from '../apps/connected-apps';
import { PushToggle } from '../notifications/push-toggle';
import { MessageSettingsPanel } from '../notifications/message-settings';

/**
 * The account's sessions, "sign out everywhere", and the change-password form. A new password
 * ends every other session at once (their tabs and sockets are signed out); this tab keeps going
 * with the token the server returns. A patient also finds here the form to join a practice with
 * its invitation code.
 */
export function AccountPage({
  onTokenChanged,
  onSignedOutEverywhere,
  isPatient = false,
  role,
}: {
  onTokenChanged: (token: string) => void;
  onSignedOutEverywhere: () => void;
  isPatient?: boolean;
  /** The signed-in account's role (what its push notifications are about). */
  role: 'DOCTOR' | 'STAFF' | 'PATIENT';
}) {
  const sessions = useQuery(MY_SESSIONS, { fetchPolicy: 'network-only' });
  const [logoutEverywhere, everywhere] = useMutation(LOGOUT_EVERYWHERE);
  const [changePassword, changing] = useMutation(CHANGE_PASSWORD);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [problem, setProblem] = useState<{ field: string | undefined; message: string } | null>(null);
  const [changed, setChanged] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setChanged(false);
    try {
      const { data } = await changePassword({ variables: { currentPassword, newPassword } });
      if (!data) return;
      onTokenChanged(data.changePassword.token);
      setCurrentPassword('');
      setNewPassword('');
      setChanged(true);
      void sessions.refetch();
    } catch (error) {
      const { code, field, message } = apiProblem(error);
      setProblem({ field: code === 'RATE_LIMITED' ? 'currentPassword' : field, message });
    }
  };
  const signOutEverywhere = async () => {
    await logoutEverywhere().catch(() => undefined);
    onSignedOutEverywhere();
  };
  const errorFor = (field: string) =>
    problem?.field === field ? (
      <p id={`account-${field}-error`} role="alert" className="field-error">
        {problem.message}
      </p>
    ) : null;

  return (
    <div className="account-page">
      <section className="panel" aria-labelledby="sessions-title">
        <h1 id="sessions-title">Your sessions</h1>
        <ul data-testid="sessions">
          {sessions.data?.mySessions.map((session) => (
            <li key={session.id}>
              Signed in {formatDateTime(session.createdAt)}
              {session.userAgent ? <span className="muted"> · {session.userAgent.slice(0, 60)}</span> : null}
              {session.current ? <strong> · this browser</strong> : null}
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" disabled={everywhere.loading} onClick={() => void signOutEverywhere()}>
          Sign out everywhere
        </button>
      </section>
      <section className="panel" aria-labelledby="two-step-link-title">
        <h2 id="two-step-link-title">Two-step verification</h2>
        <p>
          A code from an authenticator app after your password.{' '}
          <a
            href="/security"
            onClick={(event) => {
              event.preventDefault();
              navigate('/security');
            }}
          >
            Set up or turn off two-step verification
          </a>
        </p>
      </section>
      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <label htmlFor="account-current-password">Current password</label>
          <input
            id="account-current-password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            aria-describedby={problem?.field === 'currentPassword' ? 'account-currentPassword-error' : undefined}
          />
          {errorFor('currentPassword')}
          <label htmlFor="account-new-password">New password</label>
          <input
            id="account-new-password"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            aria-describedby={problem?.field === 'password' ? 'account-password-error' : undefined}
          />
          {errorFor('password')}
          {problem && problem.field !== 'currentPassword' && problem.field !== 'password' && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <button type="submit" disabled={changing.loading}>
            {changing.loading ? 'Changing…' : 'Change password'}
          </button>
          {changed && (
            <p role="status" className="notice">
              Password changed. Every other session was signed out.
            </p>
          )}
        </form>
      </section>
      <MessageSettingsPanel />
      <ConnectedApps />
      <PushToggle role={role} />
      {isPatient && <JoinPracticeForm />}
    </div>
  );
}
