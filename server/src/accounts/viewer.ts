import type { Role } from '../generated/prisma/enums';
import type { Viewer } from './authorization';
import { internalRequest, type RequestMeta } from './request-meta';
import type { SessionService } from './sessions';
import type { TokenService } from './tokens';

/**
 * The viewer proven by a bearer token; undefined (anonymous) without a valid one. A token is
 * valid when its signature is ours, it has not expired, and its session is live (not revoked,
 * not past SESSION_MAX_AGE, not idle past SESSION_IDLE_TIMEOUT, and the token is of its current
 * generation or the previous one within the rotation grace; answered from the per-instance session cache, sessions.ts). Over HTTP
 * an invalid token is treated as none, so `login` still works for a client holding a stale
 * token, while everything that needs a viewer answers UNAUTHENTICATED.
 */
export async function viewerFromToken(
  deps: { tokens: TokenService; sessions: SessionService; appTokens?: AppTokens },
  token: string | undefined,
  request: RequestMeta,
): Promise<Viewer | undefined> {
  if (token === undefined) return undefined;
  // CareLine's own tokens are JWTs; a third-party app's OAuth access tokens are opaque (no dots).
  if (!token.includes('.')) return deps.appTokens?.viewerOf(token, request);
  const claims = await deps.tokens.verify(token);
  if (!claims) return undefined;
  const checked = await deps.sessions.check(claims.sessionId, claims.generation);
  if (!('session' in checked) || checked.session.userId !== claims.userId) return undefined;
  const { session } = checked;
  return {
    userId: claims.userId,
    role: claims.role,
    sessionId: session.id,
    sessionExpiresAt: Math.floor(session.expiresAt.getTime() / 1000),
    tokenGeneration: claims.generation,
    request,
    secondFactorMissing: session.secondFactorMissing,
  };
}

/** The viewers of third-party apps' OAuth access tokens (features/apps/oauth-provider.ts). */
export interface AppTokens {
  /** The viewer an app's access token speaks for, with the app and its scopes; undefined when not valid now. */
  viewerOf(token: string, request: RequestMeta): Promise<Viewer | undefined>;
  /**
   * Of these access tokens (stored keys, AppGrant.token), the ones no longer stored: revoked, or
   * with their grant ended (the sockets' re-check, behind the revocation messages).
   */
  revokedAmong(tokenKeys: readonly string[]): Promise<string[]>;
}

/** A viewer for work the server does itself (demo seeding, tests of services): no session behind it. */
export function internalViewer(userId: string, role: Role): Viewer {
  return {
    userId,
    role,
    sessionId: '00000000-0000-0000-0000-000000000000',
    sessionExpiresAt: Number.MAX_SAFE_INTEGER,
    request: internalRequest(),
  };
}
