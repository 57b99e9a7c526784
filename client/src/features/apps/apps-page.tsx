import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { ADMIN_OF } from '../members/members.graphql';
import { REGISTER_APP } from './apps.graphql';
import { APP_SCOPES } from './scopes';

/** What registerApp answered: shown on this page only (the secret is never shown again). */
interface Registered {
  readonly clientId: string;
  readonly name: string;
  readonly clientSecret: string | null;
}

/**
 * A practice admin registers a third-party app (docs/apps.md): its name, exact redirect URIs, the
 * scopes it may ask users for, and whether it is confidential. The client id is shown, and a
 * confidential app's secret once.
 */
export function AppsPage() {
  const adminOf = useQuery(ADMIN_OF);
  const practice = adminOf.data?.me.adminOf[0];
  useEffect(() => {
    document.title = 'Apps · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, []);
  if (adminOf.loading && !adminOf.data) return <p role="status">Loading…</p>;
  if (!practice)
    return (
      <p role="alert" className="error">
        Only a practice admin can register apps.
      </p>
    );
  return <RegisterApp practiceId={practice.id} />;
}

function RegisterApp({ practiceId }: { practiceId: string }) {
  const [register, registering] = useMutation(REGISTER_APP);
  const [name, setName] = useState('');
  const [redirectUris, setRedirectUris] = useState('');
  const [scopes, setScopes] = useState<string[]>(['openid']);
  const [confidential, setConfidential] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [registered, setRegistered] = useState<Registered[]>([]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const uris = redirectUris
      .split(/\s+/)
      .map((uri) => uri.trim())
      .filter((uri) => uri !== '');
    void register({ variables: { input: { practiceId, name: name.trim(), redirectUris: uris, scopes, confidential } } }).then(
      ({ data }) => {
        const made = data?.registerApp;
        if (!made) return;
        setRegistered((current) => [{ clientId: made.clientId, name: made.name, clientSecret: made.clientSecret ?? null }, ...current]);
        setName('');
        setRedirectUris('');
        setConfidential(false);
      },
      (error: unknown) => setProblem(apiProblem(error).message),
    );
  };
  const toggle = (scope: string, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((item) => item !== scope)));

  return (
    <section className="panel" aria-labelledby="apps-title">
      <h1 id="apps-title">Apps</h1>
      <p className="muted">
        Third-party apps sign your practice&apos;s users in with OAuth 2 and SMART on FHIR: each user allows an app on CareLine&apos;s own
        page, and the app never sees their password.
      </p>
      {registered.map((app) => (
        <div key={app.clientId} role="status" className="secret" data-testid="registered-app">
          <p>
            <strong>{app.name}</strong> is registered. Its client id: <code>{app.clientId}</code>
          </p>
          {app.clientSecret && (
            <p>
              Copy its client secret now: it will not be shown again. <code data-testid="app-secret">{app.clientSecret}</code>
            </p>
          )}
        </div>
      ))}
      <form onSubmit={submit} className="app-form" aria-labelledby="register-app-title">
        <h2 id="register-app-title">Register an app</h2>
        <label>
          Name <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Redirect URIs (one per line){' '}
          <textarea
            required
            rows={3}
            value={redirectUris}
            onChange={(event) => setRedirectUris(event.target.value)}
            placeholder="https://scheduler.example/callback"
            aria-describedby="redirect-help"
          />
        </label>
        <p id="redirect-help" className="muted">
          Compared exactly: https://, or http:// only to localhost, 127.0.0.1 or [::1].
        </p>
        <fieldset>
          <legend>Scopes it may ask for</legend>
          {APP_SCOPES.map(({ scope, words }) => (
            <label key={scope} className="check">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} /> {words}{' '}
              <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={confidential} onChange={(event) => setConfidential(event.target.checked)} /> Confidential (a
          server-side app that can keep a secret)
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" disabled={registering.loading || scopes.length === 0}>
          Register app
        </button>
      </form>
    </section>
  );
}
