// The live-connection indicator's state, from the graphql-ws client's own events.
import { useSyncExternalStore } from 'react';
import type { Client } from 'graphql-ws';

/**
 * - `connecting`: the first connection is being made (nothing has been live yet);
 * - `live`: the socket is acknowledged, events arrive as they commit;
 * - `reconnecting`: it was live and dropped; retrying with backoff;
 * - `offline`: the browser reports no network, or several attempts in a row have failed (still retrying).
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** After this many failed attempts in a row, say "offline" rather than "reconnecting". */
export const FAILED_ATTEMPTS_BEFORE_OFFLINE = 6; // about 30 s of backoff

export interface ConnectionStatus {
  readonly state: ConnectionState;
  subscribe(listener: () => void): () => void;
  dispose(): void;
}

/** Follows `client` (its connecting/connected/closed events) and the browser's online/offline events. */
export function trackConnection(
  client: Client,
  target: Pick<Window, 'addEventListener' | 'removeEventListener'> & { navigator: { onLine: boolean } } = window,
): ConnectionStatus {
  let state: ConnectionState = 'connecting';
  let wasLive = false;
  let failedAttempts = 0;
  let current: unknown = null; // the socket of the last `connected`
  const listeners = new Set<() => void>();
  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const retrying = (): ConnectionState =>
    !target.navigator.onLine || failedAttempts >= FAILED_ATTEMPTS_BEFORE_OFFLINE ? 'offline' : wasLive ? 'reconnecting' : 'connecting';

  const offs = [
    client.on('connecting', () => set(retrying())),
    client.on('connected', (socket) => {
      current = socket;
      wasLive = true;
      failedAttempts = 0;
      set('live');
    }),
    client.on('closed', (event) => {
      // A socket closed after a newer one connected (the lazy socket closing as a page's last
      // subscription ended, while the next page's opened another) says nothing about the live one:
      // taking it for a drop left "Reconnecting" on while events kept arriving.
      if (current !== null && isCloseEventOf(event) && event.target !== current) return;
      current = null;
      if (state !== 'live') failedAttempts += 1;
      set(retrying());
    }),
  ];
  const onOffline = () => set('offline');
  const onOnline = () => {
    if (state === 'offline') set(retrying());
  };
  target.addEventListener('offline', onOffline);
  target.addEventListener('online', onOnline);
  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      for (const off of offs) off();
      target.removeEventListener('offline', onOffline);
      target.removeEventListener('online', onOnline);
      listeners.clear();
    },
  };
}

function isCloseEventOf(value: unknown): value is { target: unknown } {
  return typeof value === 'object' && value !== null && 'target' in value;
}

const trackers = new WeakMap<Client, ConnectionStatus>();

/**
 * The one status of a session's socket, created with the session (before anything opens the
 * socket, so it sees the first `connecting`) and shared by every page: a page opened while the
 * socket is already up shows its real state, not "Connecting".
 */
export function connectionOf(client: Client): ConnectionStatus {
  let tracker = trackers.get(client);
  if (!tracker) {
    tracker = trackConnection(client);
    trackers.set(client, tracker);
  }
  return tracker;
}

/** Stops following a session's socket (sign-out). */
export function releaseConnection(client: Client): void {
  trackers.get(client)?.dispose();
  trackers.delete(client);
}

/** The socket's status for a page's indicator (see connectionOf). */
export function useConnectionTracker(client: Client): ConnectionStatus | null {
  return connectionOf(client);
}

export function useConnectionState(status: ConnectionStatus): ConnectionState {
  return useSyncExternalStore(status.subscribe, () => status.state);
}
