import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { requestIdFrom, type RequestMeta } from '../accounts/request-meta';
import type { Config } from '../platform/config';

/** Whether to believe the proxy at `address` (hop `index` from us): express's "trust proxy" function. */
export type TrustProxy = (address: string, index: number) => boolean;

/** TRUST_PROXY as a function, so HTTP (express) and WebSocket upgrades decide alike. */
export function trustProxyFunction(setting: Config['trustProxy']): TrustProxy {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, index) => index < setting;
  return proxyAddr.compile([...setting]);
}

/**
 * Where a request came from: the client address through the trusted proxies (the socket's peer
 * address without TRUST_PROXY), its user agent, and its id (a sane X-Request-Id, or a new one).
 * Serves express requests and WebSocket upgrade requests alike.
 */
export function requestMetaOf(request: IncomingMessage, trust: TrustProxy): RequestMeta {
  const userAgent = request.headers['user-agent'];
  return {
    id: requestIdFrom(request.headers['x-request-id']),
    clientAddress: request.socket.remoteAddress === undefined ? undefined : proxyAddr(request, trust),
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : undefined,
  };
}
