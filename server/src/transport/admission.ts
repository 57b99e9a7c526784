import type { RequestHandler, Response } from 'express';
import { ErrorCode } from '../platform/errors';

export interface AdmissionLimits {
  /** HTTP_MAX_IN_FLIGHT: GraphQL requests executed at once per instance. */
  readonly maxInFlight: number;
  /** HTTP_MAX_QUEUED: requests waiting for a place; beyond it a request is refused at once. */
  readonly maxQueued: number;
  /** HTTP_QUEUE_TIMEOUT: how long a request may wait for a place before it is refused. */
  readonly queueTimeoutMs: number;
}

/** What a refused client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 1;
/** The refusal's message, over HTTP (503) and the socket (the operation's error) alike. */
export const BUSY_MESSAGE = 'The server is busy. Try again shortly.';

/** How much each finished request moves the average service time (an exponential moving average). */
const SERVICE_TIME_WEIGHT = 0.2;

/**
 * Bounded admission: at most `maxInFlight` requests run (queries and mutations over the socket
 * take their places here too, subscription-server.ts), at most `maxQueued` wait (first come,
 * first served, each at most `queueTimeoutMs`), and the rest are refused at once with HTTP 503,
 * `Retry-After` and a GraphQL error RATE_LIMITED with `extensions.retryAfterSeconds`. Past its
 * capacity a server that queues without bound answers everyone seconds late; this one keeps the
 * admitted requests fast and tells the others, in milliseconds, to come back (the dashboard and the
 * booking form do, after the hinted delay). A booking is refused before it starts, never halfway.
 *
 * A request that would wait longer than `queueTimeoutMs` is refused when it arrives, not when its
 * time is up: its wait is estimated from the queue ahead of it and the recent average time a
 * request runs (Little's law: queued ahead + 1, times that average, over `maxInFlight`). So a
 * refusal comes in the time it takes to read the request, while the server keeps serving the
 * admitted ones; the timer remains for the estimate's misses.
 *
 * A small counter and FIFO rather than a library: the usual ones (p-limit, p-queue) are ESM-only
 * and do not bound their queue by time.
 */
export class Admission {
  private inFlight = 0;
  private readonly waiting: Array<{ admit: () => void; timer: NodeJS.Timeout }> = [];
  /** Requests refused since start (the metrics read it). */
  refused = 0;

  /** Milliseconds an admitted request ran, on average recently; 0 until one has finished. */
  private serviceMs = 0;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Resolves with a release function once admitted, or with undefined when refused. */
  acquire(): Promise<(() => void) | undefined> {
    if (this.inFlight < this.limits.maxInFlight) return Promise.resolve(this.admitOne());
    if (this.waiting.length >= this.limits.maxQueued) return Promise.resolve(this.refuse());
    const expectedWaitMs = ((this.waiting.length + 1) * this.serviceMs) / this.limits.maxInFlight;
    if (expectedWaitMs > this.limits.queueTimeoutMs) return Promise.resolve(this.refuse());
    return new Promise((resolve) => {
      const entry = {
        admit: () => resolve(this.admitOne()),
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          resolve(this.refuse());
        }, this.limits.queueTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }

  /** Requests running now and waiting now. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.waiting.length };
  }

  private admitOne(): () => void {
    this.inFlight += 1;
    const admittedAt = this.nowMs();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      const ranMs = this.nowMs() - admittedAt;
      this.serviceMs = this.serviceMs === 0 ? ranMs : this.serviceMs + (ranMs - this.serviceMs) * SERVICE_TIME_WEIGHT;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit();
      }
    };
  }

  private refuse(): undefined {
    this.refused += 1;
    return undefined;
  }
}

/** The express middleware in front of /graphql: admitted requests pass on, the rest get 503. */
export function admissionControl(admission: Admission): RequestHandler {
  return (req, res, next) => {
    void admission.acquire().then((release) => {
      if (!release) return refuse(res);
      // 'close' fires for a finished response and for a client that went away alike.
      res.once('close', release);
      next();
    });
  };
}

function refuse(res: Response): void {
  res
    .status(503)
    .set('Retry-After', String(RETRY_AFTER_SECONDS))
    .json({
      errors: [
        {
          message: BUSY_MESSAGE,
          extensions: { code: ErrorCode.RateLimited, retryAfterSeconds: RETRY_AFTER_SECONDS },
        },
      ],
    });
}
