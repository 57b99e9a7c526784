// One Apollo Client and one graphql-ws socket per signed-in session: queries and mutations over
// HTTP with the bearer token; subscriptions over the socket (connectionParams.authorization), opened
// by subscribeResumable (live/resumable-subscription.ts) on `wsClient` directly, not through an
// Apollo link: it resumes each one after its last cursor on every reconnect, which GraphQLWsLink does not.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { CloseCode, createClient, type Client } from 'graphql-ws';
import { busyRetryLink } from './busy-retry';
import { connectionOf, releaseConnection } from './connection-status';
import { patientConnectionPolicy } from './features/dashboard/patient-list.policy';
import { appointmentPolicy } from './live/appointment-policy';
import { graphqlUrls } from './urls';

export interface ApolloSession {
  readonly client: ApolloClient;
  readonly wsClient: Client;
  dispose(): void;
}

/** Reconnect delays: 0.5 s, 1 s, 2 s ... capped at 15 s, each with up to 50% random jitter so a
 * restarted server is not hit by every dashboard at the same instant. */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** retries);
  return Math.round(base * (1 + random() * 0.5));
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: { fields: { doctorPatients: patientConnectionPolicy } },
      Appointment: appointmentPolicy,
    },
  });
}

/**
 * One client per sign-in. `getToken` gives the current token (null when signed out: sign-in page,
 * demo logins); it changes when the dashboard renews it, and every request (and the socket's next
 * connection) uses the latest one, so a renewal keeps the cache and the open socket.
 * `onUnauthorized` runs when the server refuses the token (4401 on the socket, UNAUTHENTICATED
 * over HTTP: expired, signed out elsewhere, password changed), so the app can sign out.
 */
export function createApolloSession(getToken: () => string | null, onUnauthorized: () => void): ApolloSession {
  const urls = graphqlUrls(window.location);
  const wsClient = createClient({
    url: urls.ws,
    lazy: true, // opened by the first subscription (the dashboard's feeds, the patient's appointment changes)
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY, // a dashboard stays open all day: keep trying, with backoff
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    // Retry every close (server restart 1001/1006, network loss) except a refused token.
    shouldRetry: (event) => !(isCloseEvent(event) && (event.code === CloseCode.Unauthorized || event.code === CloseCode.Forbidden)),
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === CloseCode.Unauthorized) onUnauthorized();
      },
    },
  });
  connectionOf(wsClient); // follows the socket from its first attempt on
  const httpLink = new HttpLink({ uri: urls.http });
  const withToken = new ApolloLink((operation, forward) => {
    const token = getToken();
    if (token)
      operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({
        headers: { ...headers, authorization: `Bearer ${token}` },
      }));
    return forward(operation);
  });
  // A token the server no longer accepts (expired, or signed with a rotated secret) ends the session
  // instead of leaving every panel in an error state. Without a token, UNAUTHENTICATED is just a
  // wrong password on the sign-in page.
  const signOutOnRefusedToken = new ErrorLink(({ error }) => {
    if (getToken() && CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED'))
      onUnauthorized();
  });
  const client = new ApolloClient({
    link: ApolloLink.from([signOutOnRefusedToken, busyRetryLink(), withToken, httpLink]),
    cache: createCache(),
  });
  return {
    client,
    wsClient,
    dispose: () => {
      // dispose() waits for a pending connection attempt and rejects with its close event when the
      // server refused it (4401): nothing is left to clean up then.
      Promise.resolve(wsClient.dispose()).catch(() => undefined);
      releaseConnection(wsClient);
      client.stop();
      void client.clearStore();
    },
  };
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}
