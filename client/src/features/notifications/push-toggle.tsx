import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { apiProblem } from '../../errors';
import { browserSupportsPush, currentPushSubscription, disablePush, enablePush, fetchVapidPublicKey, PushSetupError } from './push';

type State =
  { readonly kind: 'checking' } | { readonly kind: 'unavailable'; readonly why: string } | { readonly kind: 'ready'; readonly on: boolean };

/**
 * "Push notifications on this browser": the account page's opt-in. Turning it on asks for the
 * browser's Notification permission and registers this browser with the server; off withdraws it.
 * Signing out withdraws it too (app.tsx).
 */
export function PushToggle({ role }: { role: 'DOCTOR' | 'STAFF' | 'PATIENT' }) {
  const client = useApolloClient();
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      if (!browserSupportsPush()) return { kind: 'unavailable', why: 'This browser cannot receive push notifications.' } as const;
      // The server's key is asked for only when the user turns push on: a server without push
      // answers 404, which the browser would log on every visit of this page.
      const subscription = await currentPushSubscription();
      return { kind: 'ready', on: subscription !== null && Notification.permission === 'granted' } as const;
    })()
      .catch(() => ({ kind: 'unavailable', why: 'Push notifications could not be checked just now.' }) as const)
      .then((next) => {
        if (live) setState(next);
      });
    return () => {
      live = false;
    };
  }, []);

  const toggle = async (on: boolean) => {
    if (state.kind !== 'ready') return;
    setBusy(true);
    setProblem(null);
    try {
      if (on) {
        const key = await fetchVapidPublicKey();
        if (key === null) {
          setState({ kind: 'unavailable', why: 'Push notifications are not set up on this server.' });
          return;
        }
        await enablePush(client, key);
      } else {
        await disablePush(client);
      }
      setState({ kind: 'ready', on });
    } catch (error) {
      setProblem(
        error instanceof PushSetupError
          ? error.message
          : error instanceof Error && error.name === 'NotAllowedError'
            ? 'Notifications are blocked for this site.'
            : apiProblem(error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  const what =
    role === 'PATIENT'
      ? 'A reminder before each appointment, when this browser is not showing CareLine.'
      : 'New bookings, cancellations and arrivals while you have no CareLine tab open.';
  return (
    <section className="panel" aria-labelledby="push-title">
      <h2 id="push-title">Notifications on this browser</h2>
      <p className="muted" id="push-what">
        {what} They show names and times only.
      </p>
      {state.kind === 'checking' && <p role="status">Checking this browser…</p>}
      {state.kind === 'unavailable' && <p role="status">{state.why}</p>}
      {state.kind === 'ready' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={state.on}
            disabled={busy}
            aria-describedby={problem ? 'push-what push-error' : 'push-what'}
            onChange={(event) => void toggle(event.target.checked)}
          />{' '}
          Push notifications on this browser
        </label>
      )}
      {state.kind === 'ready' && !busy && (
        <p role="status" className="notice" data-testid="push-state">
          {state.on ? 'On for this browser.' : 'Off for this browser.'}
        </p>
      )}
      {problem && (
        <p id="push-error" role="alert" className="field-error">
          {problem}
        </p>
      )}
    </section>
  );
}
