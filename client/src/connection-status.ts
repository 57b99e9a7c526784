// The live-connection indicator's state, from the graphql-ws client's own events.
import { useEffect, useState, useSyncExternalStore } from 'react';
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
    client.on('connected', () => {
      wasLive = true;
      failedAttempts = 0;
      set('live');
    }),
    // Any message from the server (an event, an acknowledgement, a pong) proves the socket is up:
    // a tracker that missed the `connected` (made after it, or one of a burst of reconnects) must
    // not keep saying "Reconnecting" while events arrive.
    client.on('message', () => {
      if (state === 'live') return;
      wasLive = true;
      failedAttempts = 0;
      set('live');
    }),
    client.on('closed', () => {
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

/**
 * The socket's status for a page's indicator, or null on the first render. Created in an effect
 * (not a memo) so StrictMode's extra mount/unmount leaves a live tracker; it starts before the
 * page's feed effects open the socket, so it sees the first `connecting`.
 */
export function useConnectionTracker(client: Client): ConnectionStatus | null {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    const tracker = trackConnection(client);
    setStatus(tracker);
    return () => tracker.dispose();
  }, [client]);
  return status;
}

export function useConnectionState(status: ConnectionStatus): ConnectionState {
  return useSyncExternalStore(status.subscribe, () => status.state);
}
