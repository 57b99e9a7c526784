import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { SessionService } from '../accounts/sessions';
import type { AppTokens } from '../accounts/viewer';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { setLongTimeout } from './long-timeout';

/**
 * How often this instance asks the database whether the sessions of its open sockets are still
 * live: the safety net behind the revocation messages (a message lost while Redis was down).
 */
export const SOCKET_SESSION_RECHECK_MS = 30_000;

/**
 * The open sockets of this instance by session id. A socket lives as long as its session: it is
 * closed with 4401 when the session reaches its expiry (SESSION_MAX_AGE), when any instance
 * revokes it (the 'revoked' message, within milliseconds), or when a re-check finds it ended.
 * The token it connected with may expire meanwhile: clients renew tokens over HTTP.
 *
 * A socket opened with a third-party app's access token is also filed by that token (its stored
 * key): revoking the token alone (RFC 7009, or a reused refresh token ending its grant) closes it
 * with 4401 on every instance (the 'appTokensRevoked' message), and the re-check asks whether the
 * token is still stored (until it expires; from then on the socket follows its session, as above).
 */
/** What this registry does with a socket: close it (a `ws` WebSocket; tests pass a stand-in). */
export type ClosableSocket = Pick<WebSocket, 'readyState' | 'OPEN' | 'CONNECTING' | 'close'>;

export class SessionSockets {
  private readonly bySession = new Map<string, Map<ClosableSocket, { clear(): void }>>();
  private readonly byAppToken = new Map<string, { sockets: Set<ClosableSocket>; expiresAtMs: number }>();
  private readonly recheckTimer: NodeJS.Timeout;
  private readonly onRevoked = (ids: string[]) => this.close(ids, 'Session revoked');
  private readonly onAppTokensRevoked = (keys: string[]) => this.closeAppTokens(keys);
  private readonly onRecheck = () => void this.recheck();

  constructor(
    private readonly sessions: Pick<SessionService, 'events' | 'endedAmong'>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** Whether app tokens are still stored (the re-check); without it only the messages close their sockets. */
    private readonly appTokens?: Pick<AppTokens, 'revokedAmong'>,
  ) {
    sessions.events.on('revoked', this.onRevoked);
    sessions.events.on('appTokensRevoked', this.onAppTokensRevoked);
    sessions.events.on('recheck', this.onRecheck);
    this.recheckTimer = setInterval(this.onRecheck, SOCKET_SESSION_RECHECK_MS);
    this.recheckTimer.unref();
  }

  /**
   * Tracks a socket of this session until it closes; closes it with 4401 at the session's expiry,
   * or when `appToken` (the app access token it was opened with) is revoked.
   */
  add(sessionId: string, socket: ClosableSocket, sessionExpiresAtMs: number, appToken?: { key: string; expiresAtMs: number }): void {
    if (appToken) {
      const filed = this.byAppToken.get(appToken.key) ?? { sockets: new Set<ClosableSocket>(), expiresAtMs: appToken.expiresAtMs };
      filed.sockets.add(socket);
      this.byAppToken.set(appToken.key, filed);
    }
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Map()));
    // Due by the instance's clock: the timer re-arms until the clock says the session has ended.
    const expiry = setLongTimeout(
      () => closeUnauthorized(socket, 'Session expired'),
      sessionExpiresAtMs,
      () => this.clock().getTime(),
    );
    sockets.set(socket, expiry);
  }

  remove(sessionId: string, socket: ClosableSocket, appTokenKey?: string): void {
    if (appTokenKey !== undefined) {
      const filed = this.byAppToken.get(appTokenKey);
      filed?.sockets.delete(socket);
      if (filed?.sockets.size === 0) this.byAppToken.delete(appTokenKey);
    }
    const sockets = this.bySession.get(sessionId);
    sockets?.get(socket)?.clear();
    sockets?.delete(socket);
    if (sockets?.size === 0) this.bySession.delete(sessionId);
  }

  /** Sockets of this session open on this instance (tests wait on it). */
  count(sessionId: string): number {
    return this.bySession.get(sessionId)?.size ?? 0;
  }

  dispose(): void {
    clearInterval(this.recheckTimer);
    this.sessions.events.off('revoked', this.onRevoked);
    this.sessions.events.off('appTokensRevoked', this.onAppTokensRevoked);
    this.sessions.events.off('recheck', this.onRecheck);
    for (const sockets of this.bySession.values()) for (const expiry of sockets.values()) expiry.clear();
  }

  private close(sessionIds: readonly string[], reason: string): void {
    for (const id of sessionIds) for (const socket of this.bySession.get(id)?.keys() ?? []) closeUnauthorized(socket, reason);
  }

  private closeAppTokens(keys: readonly string[]): void {
    for (const key of keys) for (const socket of this.byAppToken.get(key)?.sockets ?? []) closeUnauthorized(socket, 'Token revoked');
  }

  private async recheck(): Promise<void> {
    try {
      this.close(await this.sessions.endedAmong([...this.bySession.keys()]), 'Session ended');
      const nowMs = this.clock().getTime();
      const unexpired = [...this.byAppToken].filter(([, filed]) => filed.expiresAtMs > nowMs).map(([key]) => key);
      if (this.appTokens && unexpired.length > 0) this.closeAppTokens(await this.appTokens.revokedAmong(unexpired));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not re-check the sessions of open sockets');
    }
  }
}

function closeUnauthorized(socket: ClosableSocket, reason: string): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(CloseCode.Unauthorized, reason);
}
