import { EventEmitter } from 'node:events';
import { createLogger } from '../platform/logger';
import { SessionSockets, type ClosableSocket } from './session-sockets';

const SESSION = '11111111-1111-4111-8111-111111111111';
const NOW_MS = Date.UTC(2026, 11, 4, 8, 0);
const HOUR_MS = 3600_000;

/** A socket stand-in that remembers how it was closed. */
function socket(): ClosableSocket & { closedWith: number | undefined } {
  const fake = {
    readyState: 1 as ClosableSocket['readyState'],
    OPEN: 1 as const,
    CONNECTING: 0 as const,
    closedWith: undefined as number | undefined,
    close(code?: number) {
      fake.closedWith = code;
      fake.readyState = 3;
    },
  };
  return fake;
}

function registry(revoked: readonly string[] = []) {
  const events = new EventEmitter();
  const asked: string[][] = [];
  const sockets = new SessionSockets({ events, endedAmong: async () => [] }, createLogger({ logLevel: 'silent' }), () => new Date(NOW_MS), {
    revokedAmong: async (keys) => {
      asked.push([...keys]);
      return keys.filter((key) => revoked.includes(key));
    },
  });
  return { events, sockets, asked };
}

/** Lets the re-check's promises settle (no timer involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SessionSockets and app tokens', () => {
  it('closes with 4401 the sockets of a revoked app token, and only those, when any instance announces it', () => {
    const { events, sockets } = registry();
    const revokedSocket = socket();
    const otherToken = socket();
    const dashboard = socket();
    sockets.add(SESSION, revokedSocket, NOW_MS + HOUR_MS, { key: 'a'.repeat(43), expiresAtMs: NOW_MS + 900_000 });
    sockets.add(SESSION, otherToken, NOW_MS + HOUR_MS, { key: 'b'.repeat(43), expiresAtMs: NOW_MS + 900_000 });
    sockets.add(SESSION, dashboard, NOW_MS + HOUR_MS);

    events.emit('appTokensRevoked', ['a'.repeat(43)]);

    expect(revokedSocket.closedWith).toBe(4401);
    expect(otherToken.closedWith).toBeUndefined();
    expect(dashboard.closedWith).toBeUndefined();
    sockets.dispose();
  });

  it('asks at each re-check whether its unexpired app tokens are still stored, and closes those that are not', async () => {
    const { events, sockets, asked } = registry(['a'.repeat(43)]);
    const revokedSocket = socket();
    const liveSocket = socket();
    const expiredToken = socket();
    sockets.add(SESSION, revokedSocket, NOW_MS + HOUR_MS, { key: 'a'.repeat(43), expiresAtMs: NOW_MS + 900_000 });
    sockets.add(SESSION, liveSocket, NOW_MS + HOUR_MS, { key: 'b'.repeat(43), expiresAtMs: NOW_MS + 900_000 });
    // Its token expired: the socket follows its session now, as a dashboard's does.
    sockets.add(SESSION, expiredToken, NOW_MS + HOUR_MS, { key: 'c'.repeat(43), expiresAtMs: NOW_MS - 1 });

    events.emit('recheck');
    await settle();

    expect(asked).toEqual([['a'.repeat(43), 'b'.repeat(43)]]);
    expect(revokedSocket.closedWith).toBe(4401);
    expect(liveSocket.closedWith).toBeUndefined();
    expect(expiredToken.closedWith).toBeUndefined();
    sockets.dispose();
  });

  it('forgets a closed socket: a later announcement of its token closes nothing', () => {
    const { events, sockets } = registry();
    const closed = socket();
    sockets.add(SESSION, closed, NOW_MS + HOUR_MS, { key: 'a'.repeat(43), expiresAtMs: NOW_MS + 900_000 });
    sockets.remove(SESSION, closed, 'a'.repeat(43));
    events.emit('appTokensRevoked', ['a'.repeat(43)]);
    expect(closed.closedWith).toBeUndefined();
    expect(sockets.count(SESSION)).toBe(0);
    sockets.dispose();
  });
});
