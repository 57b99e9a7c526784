import { useEffect } from 'react';
import type { ApolloClient } from '@apollo/client';
import { renewalDelayMs, tokenClaims } from '../../token';
import { REFRESH_TOKEN } from './account.graphql';

/** If a renewal fails (network), try again this soon, while the token still lives. */
const RETRY_MS = 5_000;
/** What counts as the user interacting with the page (a socket receiving events does not). */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Renews the token before it expires (refreshToken, over HTTP) and hands the new one to
 * `onRenewed`, but only while the user interacts: when the renewal is due and nobody has touched
 * the page since the token was issued, it waits for the next interaction; when the token expires
 * first, `onIdle` runs (the app shows sign-in), as the server ends an idle session
 * (SESSION_IDLE_TIMEOUT). The socket stays open across renewals (it follows the session, not the
 * token). When the server refuses (session ended elsewhere), the Apollo error link signs the tab out.
 */
export function useTokenRenewal(client: ApolloClient, token: string | null, onRenewed: (token: string) => void, onIdle: () => void): void {
  useEffect(() => {
    const claims = token ? tokenClaims(token) : null;
    if (!claims) return;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    let interacted = false;
    let due = false;
    const renew = async () => {
      try {
        const { data } = await client.mutate({ mutation: REFRESH_TOKEN });
        if (!stopped && data) onRenewed(data.refreshToken.token);
      } catch {
        if (!stopped && Date.now() + RETRY_MS < claims.expiresAtMs) timer = setTimeout(() => void renew(), RETRY_MS);
      }
    };
    const onActivity = () => {
      interacted = true;
      if (due && !stopped && Date.now() < claims.expiresAtMs) {
        due = false;
        clearTimeout(timer);
        void renew();
      }
    };
    const whenDue = () => {
      if (interacted) return void renew();
      due = true;
      timer = setTimeout(
        () => {
          if (!stopped && due) onIdle();
        },
        Math.max(0, claims.expiresAtMs - Date.now()),
      );
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
    timer = setTimeout(whenDue, renewalDelayMs(claims.expiresAtMs, Date.now()));
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [client, token, onRenewed, onIdle]);
}
