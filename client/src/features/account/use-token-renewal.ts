import { useEffect } from 'react';
import type { ApolloClient } from '@apollo/client';
import { renewalDelayMs, tokenClaims } from '../../token';
import { REFRESH_TOKEN } from './account.graphql';

/** If a renewal fails (network), try again this soon, while the token still lives. */
const RETRY_MS = 5_000;

/**
 * Renews the token before it expires (refreshToken, over HTTP) and hands the new one to
 * `onRenewed`; the socket stays open (it follows the session, not the token). When the server
 * refuses (session ended elsewhere), the Apollo error link signs the tab out.
 */
export function useTokenRenewal(client: ApolloClient, token: string | null, onRenewed: (token: string) => void): void {
  useEffect(() => {
    const claims = token ? tokenClaims(token) : null;
    if (!claims) return;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const renew = async () => {
      try {
        const { data } = await client.mutate({ mutation: REFRESH_TOKEN });
        if (!stopped && data) onRenewed(data.refreshToken.token);
      } catch {
        if (!stopped && Date.now() + RETRY_MS < claims.expiresAtMs) timer = setTimeout(() => void renew(), RETRY_MS);
      }
    };
    timer = setTimeout(() => void renew(), renewalDelayMs(claims.expiresAtMs, Date.now()));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, token, onRenewed]);
}
