import type { Viewer } from './accounts/authorization';
import { createLoaders, type Loaders } from './loaders';
import type { Services } from './services';
import type { TokenService } from './accounts/tokens';

/** The socket a subscription runs on; absent over HTTP. */
export interface SubscriberConnection {
  /** Closes the socket with 1013 because the client does not keep up; it resumes from its cursor. */
  closeSlowConsumer(): void;
}

/** What every resolver receives: who asks, the services, and this execution's loaders. */
export interface AppContext {
  readonly viewer: Viewer | undefined;
  readonly services: Services;
  readonly loaders: Loaders;
  readonly connection?: SubscriberConnection;
  /** The client's address (TRUST_PROXY applied), for limits per address; 'unknown' when not from a request. */
  readonly clientAddress: string;
}

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

export function createContext(
  services: Services,
  viewer: Viewer | undefined,
  connection?: SubscriberConnection,
  clientAddress = 'unknown',
): AppContext {
  return { viewer, services, loaders: createLoaders(services, viewer), connection, clientAddress };
}
