import { useMutation, useQuery } from '@apollo/client/react';
import { formatDateTime } from '../../time';
import { MY_AUTHORIZED_APPS, REVOKE_APP_AUTHORIZATION } from './apps.graphql';

/** The apps the user allowed to act for them (myAuthorizedApps), each with Revoke: its tokens and sockets end at once. */
export function ConnectedApps() {
  const apps = useQuery(MY_AUTHORIZED_APPS, { fetchPolicy: 'network-only' });
  const [revoke, revoking] = useMutation(REVOKE_APP_AUTHORIZATION, {
    refetchQueries: [{ query: MY_AUTHORIZED_APPS }],
    awaitRefetchQueries: true,
  });
  const list = apps.data?.myAuthorizedApps ?? [];
  return (
    <section className="panel" aria-labelledby="connected-apps-title">
      <h2 id="connected-apps-title">Connected apps</h2>
      {apps.error && (
        <p role="alert" className="error">
          Your connected apps could not be loaded.
        </p>
      )}
      {!apps.loading && list.length === 0 && !apps.error && <p className="muted">No app can act for you.</p>}
      {list.length > 0 && (
        <ul className="connected-apps" data-testid="connected-apps">
          {list.map((app) => (
            <li key={app.appId}>
              <strong>{app.name}</strong> <span className="muted">by {app.practiceName}</span>
              <br />
              <span className="muted">
                Allowed {formatDateTime(app.authorizedAt)}: {app.scopes.join(', ')}
              </span>{' '}
              <button
                type="button"
                className="secondary"
                disabled={revoking.loading}
                aria-label={`Revoke ${app.name}`}
                onClick={() => void revoke({ variables: { appId: app.appId } }).catch(() => undefined)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
