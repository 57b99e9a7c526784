import type { Viewer } from './authorization';
import type { TokenService } from './tokens';

/**
 * The viewer proven by a bearer token; undefined (anonymous) without a valid one. Over HTTP an
 * expired token is treated as none, so `login` still works for a client holding a stale token,
 * while everything that needs a viewer answers UNAUTHENTICATED.
 */
export async function viewerFromToken(tokens: TokenService, token: string | undefined): Promise<Viewer | undefined> {
  if (token === undefined) return undefined;
  const claims = await tokens.verify(token);
  if (!claims) return undefined;
  return { userId: claims.userId, role: claims.role, tokenExpiresAt: claims.expiresAt };
}
