// The connection light follows the socket that is actually up, with a stand-in for graphql-ws's client.
import { describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { trackConnection } from './connection-status';

type Listener = (...args: unknown[]) => void;

function fakeClient() {
  const listeners = new Map<string, Set<Listener>>();
  const client = {
    on(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  } as unknown as Client;
  const emit = (event: string, ...args: unknown[]) => {
    for (const listener of listeners.get(event) ?? []) listener(...args);
  };
  return { client, emit };
}

const browser = { addEventListener: () => undefined, removeEventListener: () => undefined, navigator: { onLine: true } };

describe('the connection light', () => {
  it('stays Live when an older socket finishes closing after a newer one connected', () => {
    const { client, emit } = fakeClient();
    const status = trackConnection(client, browser);
    const first = { name: 'first socket' };
    const second = { name: 'second socket' };
    emit('connecting');
    emit('connected', first);
    emit('connecting');
    emit('connected', second);
    emit('closed', { code: 1000, reason: 'Normal Closure', target: first });

    expect(status.state).toBe('live');
  });

  it('says Reconnecting when the live socket closes', () => {
    const { client, emit } = fakeClient();
    const status = trackConnection(client, browser);
    const socket = { name: 'socket' };
    emit('connected', socket);
    emit('closed', { code: 1006, reason: '', target: socket });

    expect(status.state).toBe('reconnecting');
  });
});
