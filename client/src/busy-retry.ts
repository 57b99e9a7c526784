// An overloaded server refuses a request before running it (HTTP 503 or 429, `Retry-After`, and a
// GraphQL error RATE_LIMITED with `extensions.retryAfterSeconds`): see the server's
// transport/admission.ts. Such a request is safe to send again, a booking too (it carries its
// idempotencyKey), so the client waits the hinted delay and tries again, a few times.
import { ServerError } from '@apollo/client/errors';
import { RetryLink } from '@apollo/client/link/retry';

/** Tries in all, the first included. */
export const BUSY_ATTEMPTS = 3;
/** A hint longer than this is not waited for: the user sees the refusal instead. */
const MAX_WAIT_MS = 10_000;

/**
 * How long to wait before sending again a request the server refused as busy, in ms (the hint
 * plus up to 25% jitter, so refused clients do not all return at once); undefined for any other
 * error, which is not retried here.
 */
export function busyRetryDelayMs(error: unknown, random: () => number = Math.random): number | undefined {
  if (!ServerError.is(error) || (error.statusCode !== 503 && error.statusCode !== 429)) return undefined;
  const hintSeconds = retryAfterFromBody(error.bodyText) ?? Number(error.response.headers.get('retry-after'));
  if (!Number.isFinite(hintSeconds) || hintSeconds <= 0) return undefined;
  const delay = hintSeconds * 1000 * (1 + random() * 0.25);
  return delay <= MAX_WAIT_MS ? Math.round(delay) : undefined;
}

function retryAfterFromBody(bodyText: string): number | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return undefined;
    const first: unknown = body.errors[0];
    if (typeof first !== 'object' || first === null || !('extensions' in first)) return undefined;
    const extensions: unknown = first.extensions;
    if (typeof extensions !== 'object' || extensions === null || !('retryAfterSeconds' in extensions)) return undefined;
    return typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : undefined;
  } catch {
    return undefined;
  }
}

/** The link: retries busy refusals after the hinted delay, up to BUSY_ATTEMPTS tries in all. */
export function busyRetryLink(): RetryLink {
  return new RetryLink({
    attempts: (attempt, _operation, error) => attempt < BUSY_ATTEMPTS && busyRetryDelayMs(error) !== undefined,
    delay: (_attempt, _operation, error) => busyRetryDelayMs(error) ?? 0,
  });
}
