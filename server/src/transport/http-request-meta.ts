import type { IncomingMessage } from 'node:http';
import type { RequestMeta } from '../accounts/request-meta';
import { clientAddressOf, type TrustFunction } from '../platform/client-address';
import { longLivedUuid } from '../platform/ids';
import { requestScope } from '../platform/request-scope';

/**
 * Where a request came from: the client address through the trusted proxies (TRUST_PROXY, the
 * same trust function express uses for req.ip), its user agent, and its id, always the server's (the
 * one the request-id middleware chose; a new one for an upgrade request): never the client's X-Request-Id. Serves express requests and WebSocket upgrade requests alike.
 */
export function requestMetaOf(request: IncomingMessage, trust: TrustFunction): RequestMeta {
  const userAgent = request.headers['user-agent'];
  return {
    // Over HTTP the request-id middleware already chose it (and sent it in X-Request-Id); a
    // socket's lives as long as the socket.
    id: requestScope.getStore()?.requestId ?? longLivedUuid(),
    clientAddress: request.socket.remoteAddress === undefined ? undefined : clientAddressOf(request, trust),
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : undefined,
  };
}
