import type { Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../platform/errors';

/** What a refused account is told to wait before trying again. */
export const ACCOUNT_RETRY_AFTER_SECONDS = 1;
/** The refusal's message, over HTTP and the socket alike. */
export const ACCOUNT_BUSY_MESSAGE = 'This account runs too many operations at once. Try again shortly.';

/**
 * ACCOUNT_MAX_CONCURRENT_OPERATIONS: how many queries and mutations one account runs at once on
 * this instance, over HTTP and the socket together. Refusing (RATE_LIMITED, retry after a second)
 * rather than queueing: a queue per account would hold the flooder's requests in memory and its
 * places in the admission queue, which is exactly what the other accounts need. A plain counter
 * per account: the limit is per instance, like HTTP_MAX_IN_FLIGHT (a balancer spreads an
 * account's requests, and a cluster-wide counter would add a Redis round trip to every request).
 */
export class AccountConcurrency {
  private readonly running = new Map<string, number>();
  /** Operations refused since start (the metrics and the tests read it). */
  refused = 0;
  /** The most operations one account ran at once since start (the tests read it). */
  highWater = 0;

  constructor(private readonly maxPerAccount: number) {}

  /** A release function when the account may run one more operation now; undefined (counted as refused) when not. */
  tryAcquire(userId: string): (() => void) | undefined {
    const count = this.running.get(userId) ?? 0;
    if (count >= this.maxPerAccount) {
      this.refused += 1;
      return undefined;
    }
    this.running.set(userId, count + 1);
    this.highWater = Math.max(this.highWater, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left > 0) this.running.set(userId, left);
      else this.running.delete(userId);
    };
  }

  /** Operations the account runs now. */
  runningFor(userId: string): number {
    return this.running.get(userId) ?? 0;
  }
}

/**
 * The express middleware in front of admission on /graphql: a signed-in account's request past its
 * cap is answered 429 at once, before it can take a place in the admission queue (so a flood of one
 * account's requests leaves the in-flight places to the others). `accountOf` names the request's
 * account (the verified token's user, cached for the GraphQL context), or undefined when signed
 * out: those pass, bounded by the rate limits per address.
 */
export function accountConcurrencyControl(
  concurrency: AccountConcurrency,
  accountOf: (req: Request) => Promise<string | undefined>,
): RequestHandler {
  return (req, res, next) => {
    accountOf(req).then(
      (userId) => {
        if (userId === undefined) return next();
        const release = concurrency.tryAcquire(userId);
        if (!release) return refuse(res);
        // 'close' fires for a finished response and for a client that went away alike.
        res.once('close', release);
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

function refuse(res: Response): void {
  res
    .status(429)
    .set('Retry-After', String(ACCOUNT_RETRY_AFTER_SECONDS))
    .json({
      errors: [
        {
          message: ACCOUNT_BUSY_MESSAGE,
          extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: ACCOUNT_RETRY_AFTER_SECONDS },
        },
      ],
    });
}
