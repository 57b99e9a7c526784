import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from './config';

/** Which hop may be believed: proxy-addr's trust function, the one express uses for `trust proxy`. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as a trust function with express's semantics: false trusts nobody (the socket's
 * peer is the client), a number trusts that many hops, a list trusts those addresses and subnets.
 * The same function is given to express (`app.set('trust proxy', fn)`) and used for sockets, so
 * req.ip, rate limits and socket caps all agree on who the client is.
 */
export function compileTrustProxy(trust: TrustProxy): TrustFunction {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/** The client's address of a raw request (a websocket upgrade), as express computes req.ip. */
export function clientAddressOf(req: IncomingMessage, trust: TrustFunction): string {
  return proxyAddr(req, trust);
}
