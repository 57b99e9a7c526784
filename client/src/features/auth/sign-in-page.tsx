import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { navigate } from '../../router';
import type { Session } from '../../session';
import { DEMO_ACCOUNTS, LOGIN } from './auth.graphql';
import { toSession } from './to-session';

const DEMO_ROLES = { DOCTOR: 'doctor', PATIENT: 'patient', STAFF: 'staff' } as const;

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // The second step, for an account with two-step verification: the credentials it answered with MFA_REQUIRED.
  const [awaitingCode, setAwaitingCode] = useState<{ email: string; password: string } | null>(null);
  const [otp, setOtp] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const [login, { loading }] = useMutation(LOGIN);
  const demo = useQuery(DEMO_ACCOUNTS);
  useEffect(() => {
    if (awaitingCode) codeInput.current?.focus();
  }, [awaitingCode]);

  const signIn = async (credentials: { email: string; password: string }, code?: string) => {
    setProblem(null);
    try {
      const { data } = await login({ variables: { ...credentials, otp: code ?? null } });
      if (data) onSignedIn(toSession(data.login.token, data.login.user));
    } catch (error) {
      const { code: errorCode, message } = apiProblem(error);
      if (errorCode === 'MFA_REQUIRED') {
        if (code !== undefined) setProblem('That code is not right, or was used already. Enter the code the app shows now.');
        setAwaitingCode(credentials);
        return;
      }
      setAwaitingCode(null);
      setProblem(errorCode === 'UNAUTHENTICATED' ? 'That email and password do not match an account.' : message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (awaitingCode) void signIn(awaitingCode, otp);
    else void signIn({ email, password });
  };

  if (awaitingCode) {
    return (
      <div className="auth">
        <section className="panel auth__panel" aria-labelledby="signin-title">
          <h1 id="signin-title">Two-step verification</h1>
          <form onSubmit={submit} noValidate>
            <label htmlFor="signin-code">Code from your authenticator app, or a recovery code</label>
            <input
              id="signin-code"
              ref={codeInput}
              autoComplete="one-time-code"
              required
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              aria-describedby={problem ? 'signin-problem' : undefined}
            />
            {problem && (
              <p id="signin-problem" role="alert" className="field-error">
                {problem}
              </p>
            )}
            <button type="submit" disabled={loading}>
              {loading ? 'Checking…' : 'Verify'}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setAwaitingCode(null);
                setOtp('');
                setProblem(null);
              }}
            >
              Back
            </button>
          </form>
        </section>
      </div>
    );
  }

  return (
    <div className="auth">
      <section className="panel auth__panel" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <label htmlFor="signin-email">Email</label>
          <input id="signin-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="signin-password">Password</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={problem ? 'signin-problem' : undefined}
          />
          {problem && (
            <p id="signin-problem" role="alert" className="field-error">
              {problem}
            </p>
          )}
          <button type="submit" disabled={loading}>
            {loading ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p>
          New to CareLine?{' '}
          <a
            href="/register"
            onClick={(e) => {
              e.preventDefault();
              navigate('/register');
            }}
          >
            Create an account
          </a>
        </p>
      </section>
      {demo.data?.demoAccounts && demo.data.demoAccounts.length > 0 && (
        <section className="panel auth__panel" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo logins</h2>
          <p className="muted">This server has demo data. Sign in as:</p>
          <ul className="demo-logins">
            {demo.data.demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  className="secondary"
                  disabled={loading}
                  onClick={() => void signIn({ email: account.email, password: account.password })}
                >
                  {account.name} <span className="muted">({DEMO_ROLES[account.role]})</span>
                </button>
                <span className="muted small">
                  {' '}
                  {account.email} / {account.password}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
