import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { apiProblem } from '../../errors';
import { ADMIN_OF } from '../members/members.graphql';
import { formatDateTime } from '../../time';
import { DELETE_APP, PRACTICE_APPS, REGISTER_APP, UPDATE_APP } from './apps.graphql';
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
 * confidential app's secret once. Below the form, the practice's registered apps (practiceApps,
 * which never returns a secret), refreshed after each registration, each with Edit (name, redirect
 * URIs, scopes: updateApp) and Delete (deleteApp, after a confirmation: every user's authorization ends).
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
  return (
    <>
      <RegisterApp practiceId={practice.id} />
      <PracticeApps practiceId={practice.id} />
    </>
  );
}

function RegisterApp({ practiceId }: { practiceId: string }) {
  const [register, registering] = useMutation(REGISTER_APP, {
    refetchQueries: [{ query: PRACTICE_APPS, variables: { practiceId } }],
  });
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

interface ListedApp {
  readonly id: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

/** The practice's registered apps, newest first (their secrets are never shown again). */
function PracticeApps({ practiceId }: { practiceId: string }) {
  const apps = useQuery(PRACTICE_APPS, { variables: { practiceId }, fetchPolicy: 'network-only' });
  const list = apps.data?.practiceApps ?? [];
  const [editing, setEditing] = useState<ListedApp | null>(null);
  const [deleting, setDeleting] = useState<ListedApp | null>(null);
  const [remove, removing] = useMutation(DELETE_APP, { refetchQueries: [{ query: PRACTICE_APPS, variables: { practiceId } }] });
  const [problem, setProblem] = useState<string | null>(null);
  const confirmDelete = (app: ListedApp) => {
    setProblem(null);
    void remove({ variables: { appId: app.id } }).then(
      () => setDeleting(null),
      (error: unknown) => setProblem(apiProblem(error).message),
    );
  };
  return (
    <section className="panel" aria-labelledby="practice-apps-title">
      <h2 id="practice-apps-title">Registered apps</h2>
      {apps.loading && !apps.data && <p role="status">Loading…</p>}
      {apps.error && (
        <p role="alert" className="error">
          The practice&apos;s apps could not be loaded.
        </p>
      )}
      {apps.data && list.length === 0 && <p>Your practice has not registered an app yet.</p>}
      {list.length > 0 && (
        <table data-testid="practice-apps">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Redirect URIs</th>
              <th scope="col">Scopes</th>
              <th scope="col">Client type</th>
              <th scope="col">Registered</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((app) => (
              <tr key={app.id} data-client-id={app.clientId}>
                <th scope="row">{app.name}</th>
                <td>
                  <code>{app.clientId}</code>
                </td>
                <td>
                  {app.redirectUris.map((uri) => (
                    <div key={uri}>
                      <code>{uri}</code>
                    </div>
                  ))}
                </td>
                <td>
                  {app.scopes.map((scope) => (
                    <div key={scope}>
                      <code>{scope}</code>
                    </div>
                  ))}
                </td>
                <td>{app.confidential ? 'Confidential' : 'Public'}</td>
                <td>{formatDateTime(app.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Edit ${app.name}`}
                    onClick={() => {
                      setDeleting(null);
                      setEditing(app);
                    }}
                  >
                    Edit
                  </button>{' '}
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Delete ${app.name}`}
                    onClick={() => {
                      setEditing(null);
                      setDeleting(app);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <div role="alert" className="secret" data-testid="delete-app">
          <p>
            Delete <strong>{deleting.name}</strong>? Every user who allowed it loses it at once: its tokens stop working and its live
            connections close. This cannot be undone.
          </p>
          {problem && <p className="error">{problem}</p>}
          <button type="button" disabled={removing.loading} onClick={() => confirmDelete(deleting)}>
            Delete {deleting.name} for good
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setDeleting(null)}>
            Keep it
          </button>
        </div>
      )}
      {editing && <EditApp key={editing.id} app={editing} practiceId={practiceId} onDone={() => setEditing(null)} />}
    </section>
  );
}

/** updateApp: name, redirect URIs and scopes; users who allowed a scope taken away must allow the app again. */
function EditApp({ app, practiceId, onDone }: { app: ListedApp; practiceId: string; onDone: () => void }) {
  const [update, updating] = useMutation(UPDATE_APP, { refetchQueries: [{ query: PRACTICE_APPS, variables: { practiceId } }] });
  const [name, setName] = useState(app.name);
  const [redirectUris, setRedirectUris] = useState(app.redirectUris.join('\n'));
  const [scopes, setScopes] = useState<string[]>([...app.scopes]);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const uris = redirectUris
      .split(/\s+/)
      .map((uri) => uri.trim())
      .filter((uri) => uri !== '');
    void update({ variables: { input: { appId: app.id, name: name.trim(), redirectUris: uris, scopes } } }).then(
      () => onDone(),
      (error: unknown) => setProblem(apiProblem(error).message),
    );
  };
  const toggle = (scope: string, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((item) => item !== scope)));
  return (
    <form onSubmit={submit} className="app-form" aria-labelledby="edit-app-title" data-testid="edit-app">
      <h3 id="edit-app-title">Edit {app.name}</h3>
      <label>
        New name <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        Its redirect URIs (one per line){' '}
        <textarea required rows={3} value={redirectUris} onChange={(event) => setRedirectUris(event.target.value)} />
      </label>
      <fieldset>
        <legend>Scopes it may ask for from now on</legend>
        {APP_SCOPES.map(({ scope, words }) => (
          <label key={scope} className="check">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} /> {words}{' '}
            <code>{scope}</code>
          </label>
        ))}
      </fieldset>
      <p className="muted">Users who allowed a scope you take away lose the app until they allow it again.</p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <button type="submit" disabled={updating.loading || scopes.length === 0}>
        Save changes
      </button>{' '}
      <button type="button" className="secondary" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
