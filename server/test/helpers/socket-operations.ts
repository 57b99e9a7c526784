import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One graphql-ws socket on which a test runs several operations, and sees how it closed. */
export interface TestSocket {
  readonly client: Client;
  /** Resolves with the close code once the socket closes (never, if it stays open). */
  readonly closed: Promise<number>;
  /** Runs one operation to its end: its results, or the errors of its `error` message. Rejects after `timeoutMs`. */
  run(query: string, variables?: Record<string, unknown>, timeoutMs?: number): Promise<OperationOutcome>;
  dispose(): Promise<void>;
}

export interface OperationOutcome {
  readonly results: ReadonlyArray<FormattedExecutionResult<Record<string, unknown>, unknown>>;
  readonly errors: ReadonlyArray<GraphQLFormattedError> | undefined;
}

/** Opens a socket signed in with `token` (no retries: a test sees exactly what the server did). */
export function openSocket(wsUrl: string, token: string): TestSocket {
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (event) => resolveClosed((event as { code: number }).code) },
    onNonLazyError: () => {},
  });
  return {
    client,
    closed,
    run(query, variables = {}, timeoutMs = 10_000) {
      const results: Array<FormattedExecutionResult<Record<string, unknown>, unknown>> = [];
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`operation did not end within ${timeoutMs} ms`)), timeoutMs);
        client.subscribe(
          { query, variables },
          {
            next: (result) => results.push(result),
            error: (error: unknown) => {
              clearTimeout(timer);
              resolve({ results, errors: Array.isArray(error) ? (error as GraphQLFormattedError[]) : [{ message: String(error) }] });
            },
            complete: () => {
              clearTimeout(timer);
              resolve({ results, errors: undefined });
            },
          },
        );
      });
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
