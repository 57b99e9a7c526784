import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SOCKET_SESSION_RECHECK_MS } from '../../src/transport/session-sockets';
import { leftover } from './leftovers';

/** A subscription opened with a real graphql-ws client, read one result at a time with bounded waits. */
export interface TestSubscription<T> {
  /** The next result (data or errors); rejects after `timeoutMs`. */
  next(options?: { timeoutMs?: number }): Promise<FormattedExecutionResult<T, unknown>>;
  /** Results received and not yet taken. */
  readonly pending: number;
  /** Resolves when the server completes or errors the subscription. */
  readonly done: Promise<void>;
  /** The close event of the socket, if it closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/**
 * Connects with `connectionParams.authorization` (when a token is given) and subscribes. No
 * retries: a test sees exactly what the server did. Disposed after the test if it did not.
 */
export function subscribe<T>(
  wsUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): TestSubscription<T> {
  const results: Array<FormattedExecutionResult<T, unknown>> = [];
  const waiters: Array<(result: FormattedExecutionResult<T, unknown>) => void> = [];
  let resolveClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
    onNonLazyError: () => {},
  });
  const done = new Promise<void>((resolve) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          const waiter = waiters.shift();
          if (waiter) waiter(result);
          else results.push(result);
        },
        error: () => resolve(),
        complete: () => resolve(),
      },
    );
  });
  const dispose = leftover(async () => {
    await client.dispose();
  });
  return {
    get pending() {
      return results.length;
    },
    done,
    closed,
    next({ timeoutMs = 5000 } = {}) {
      const ready = results.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(onResult), 1);
          reject(new Error(`no subscription result within ${timeoutMs} ms`));
        }, timeoutMs);
        const onResult = (result: FormattedExecutionResult<T, unknown>) => {
          clearTimeout(timer);
          resolve(result);
        };
        waiters.push(onResult);
      });
    },
    dispose,
  };
}

/**
 * The socket's close after a revocation, as its announcement brings it: within a third of the
 * re-check period (SOCKET_SESSION_RECHECK_MS). Were the announcement lost, only the re-check would
 * close the socket, and it falls in that window at most one run in three: the test fails the
 * others. Not a latency check: the announcement takes milliseconds, and the bound only has to
 * stay clear of a loaded CI machine's pauses.
 */
export function closedByAnnouncement(subscription: TestSubscription<unknown>): Promise<{ code: number; reason: string }> {
  const boundMs = SOCKET_SESSION_RECHECK_MS / 3;
  return Promise.race([
    subscription.closed,
    new Promise<never>((_resolve, reject) =>
      setTimeout(
        () => reject(new Error(`socket still open ${boundMs} ms after the revocation: its announcement never came`)),
        boundMs,
      ).unref(),
    ),
  ]);
}
