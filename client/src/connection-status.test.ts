import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { trackConnection } from './connection-status';

type Event = 'connecting' | 'connected' | 'closed' | 'message';

/** The part of a graphql-ws client the tracker listens to, driven by hand. */
function fakeClient() {
  const listeners = new Map<Event, Set<() => void>>();
  const client = {
    on(event: Event, listener: () => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  const emit = (event: Event) => listeners.get(event)?.forEach((listener) => listener());
  return { client: client as unknown as Client, emit };
}

const browser = { addEventListener: () => undefined, removeEventListener: () => undefined, navigator: { onLine: true } };

describe('trackConnection', () => {
  it('says live once connected, reconnecting after a drop, live again when back', () => {
    const { client, emit } = fakeClient();
    const status = trackConnection(client, browser);
    expect(status.state).toBe('connecting');
    emit('connected');
    expect(status.state).toBe('live');
    emit('closed');
    expect(status.state).toBe('reconnecting');
    emit('connecting');
    emit('connected');
    expect(status.state).toBe('live');
  });

  it('does not keep saying reconnecting while messages arrive (a missed connected event)', () => {
    const { client, emit } = fakeClient();
    const status = trackConnection(client, browser);
    emit('connected');
    emit('closed');
    expect(status.state).toBe('reconnecting');
    emit('message');
    expect(status.state).toBe('live');
  });

  it('turns live on the first message for a tracker made after the socket connected', () => {
    const { client, emit } = fakeClient();
    const status = trackConnection(client, browser);
    emit('message');
    expect(status.state).toBe('live');
  });
});
