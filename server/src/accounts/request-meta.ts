import { randomUUID } from 'node:crypto';

/**
 * Where a request came from, for sign-in throttling, sessions and audit rows. Built by the
 * transport from express's request (clientAddress honours TRUST_PROXY) or a socket's upgrade request.
 */
export interface RequestMeta {
  /** The request id: the client's X-Request-Id when it is a sane token, otherwise a new UUID. */
  readonly id: string;
  /** The client's address (IPv4 or IPv6 text); undefined when the socket had none. */
  readonly clientAddress: string | undefined;
  readonly userAgent: string | undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** A request id from an untrusted header: kept only when it is short and plain. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** What in-process work (seeding, scripts) records as its origin. */
export function internalRequest(): RequestMeta {
  return { id: randomUUID(), clientAddress: undefined, userAgent: undefined };
}
