import { AsyncLocalStorage } from 'node:async_hooks';

/** What the current request is, for whatever runs on its behalf (its logs carry the id). */
export interface RequestScope {
  readonly requestId: string;
}

/**
 * Entered by the HTTP request-id middleware, and by the socket server while it formats an
 * operation's errors ("<socket id>/<operation id>"); the logger adds `requestId` to every line written inside it.
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();
