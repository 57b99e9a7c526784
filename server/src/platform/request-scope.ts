import { AsyncLocalStorage } from 'node:async_hooks';

/** What the current request is, for whatever runs on its behalf (its logs carry the id). */
export interface RequestScope {
  /** Chosen by the server, always: audit rows and logs name the request with it. */
  readonly requestId: string;
  /** The client's own X-Request-Id (when sane), kept beside ours for tracing across systems; never an audit row's id. */
  readonly clientRequestId?: string;
}

/**
 * Entered by the HTTP request-id middleware, and by the socket server while it formats an
 * operation's errors ("<socket id>/<operation id>"); the logger adds `requestId` (and `clientRequestId`) to every line written inside it.
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();
