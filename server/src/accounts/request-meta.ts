import { randomUUID } from 'node:crypto';

/**
 * Where a request came from, for sign-in throttling, sessions and audit rows. Built by the
 * transport from express's request (clientAddress honours TRUST_PROXY) or a socket's upgrade request.
 */
export interface RequestMeta {
  /** The request id, chosen by the server (a UUID): the client's X-Request-Id is only logged beside it. */
  readonly id: string;
  /** The client's address (IPv4 or IPv6 text); undefined when the socket had none. */
  readonly clientAddress: string | undefined;
  readonly userAgent: string | undefined;
  /**
   * The third-party app whose OAuth token the request carries (features/apps): audit rows and
   * security events record it beside the user ("<user> via <app>").
   */
  readonly appId?: string;
}

/** What in-process work (seeding, scripts) records as its origin. */
export function internalRequest(): RequestMeta {
  return { id: randomUUID(), clientAddress: undefined, userAgent: undefined };
}
