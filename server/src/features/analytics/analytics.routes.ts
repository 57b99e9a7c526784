import type { IncomingMessage } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import type { GraphQLError } from 'graphql';
import type { Viewer } from '../../accounts/authorization';
import { badUserInput, ErrorCode, forbidden, internalError, isPublicError, mfaRequired, rateLimited } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { daysToCsv } from './analytics.rules';
import type { AnalyticsService } from './analytics.service';

export interface AnalyticsRouteDeps {
  readonly analytics: Pick<AnalyticsService, 'dailyCounts'>;
  /** The viewer of the request's bearer token (app.ts verifies it once per request, as for /graphql). */
  viewerOf(req: IncomingMessage): Promise<Viewer | undefined>;
  readonly logger: Logger;
  /**
   * HTTP_MAX_IN_FLIGHT's admission and ACCOUNT_MAX_CONCURRENT_OPERATIONS' per-account cap, shared with
   * /graphql: a release function, or undefined when refused (503 / 429 RATE_LIMITED, Retry-After: 1).
   */
  readonly admission: { acquire(): Promise<(() => void) | undefined> };
  readonly accountConcurrency: { tryAcquire(userId: string): (() => void) | undefined };
}

/** The HTTP status of each public code; anything else is a 500. */
const STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.MfaRequired]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RateLimited]: 429,
};

/** A query parameter given once, as text; BAD_USER_INPUT otherwise (or undefined when optional and absent). */
function parameter(req: Request, name: string, required: boolean): string | undefined {
  const value = req.query[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') throw badUserInput(`The query parameter ${name} is required, once.`, name);
  return value;
}

function instant(req: Request, name: string): Date {
  const text = parameter(req, name, true)!;
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(date.getTime()))
    throw badUserInput(`${name} must be an ISO 8601 date-time, e.g. 2027-03-01T00:00:00Z.`, name);
  return date;
}

/** An error as GraphQL's own shape (errors[0].extensions.code), so clients read one format everywhere. */
function sendError(res: Response, status: number, error: GraphQLError): void {
  if (status === 401) res.set('WWW-Authenticate', 'Bearer');
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message: error.message, extensions: error.extensions }] });
}

/**
 * GET /analytics/export.csv?practiceId=&from=&to=[&doctorId=]: the byDay table of
 * practiceAnalytics as text/csv with the header row `date,appointments,completed,cancelled,noShows`.
 * The bearer token and the rights of practiceAnalytics; errors are JSON with a code (400
 * BAD_USER_INPUT, 401 UNAUTHENTICATED, 403 FORBIDDEN or MFA_REQUIRED, 429 / 503 RATE_LIMITED when busy, with Retry-After).
 * Third-party app tokens are refused: no SMART scope covers analytics.
 */
export function analyticsRoutes(deps: AnalyticsRouteDeps): Router {
  const router = express.Router();
  router.get('/export.csv', (req, res) => {
    void (async () => {
      const viewer = await deps.viewerOf(req);
      if (viewer?.secondFactorMissing) throw mfaRequired('This account must set up a second factor first.');
      if (viewer?.app) throw forbidden('Third-party app tokens cannot export analytics.');
      const account = viewer ? deps.accountConcurrency.tryAcquire(viewer.userId) : () => undefined;
      if (!account) {
        res.set('Retry-After', '1');
        return sendError(res, 429, rateLimited('This account runs too many operations at once. Try again shortly.', 1));
      }
      const admitted = await deps.admission.acquire();
      if (!admitted) {
        account();
        res.set('Retry-After', '1');
        return sendError(res, 503, rateLimited('The server is busy. Try again shortly.', 1));
      }
      try {
        const practiceId = parameter(req, 'practiceId', true)!;
        const days = await deps.analytics.dailyCounts(
          viewer,
          practiceId,
          instant(req, 'from'),
          instant(req, 'to'),
          parameter(req, 'doctorId', false),
        );
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('Cache-Control', 'no-store')
          .set('Content-Disposition', 'attachment; filename="analytics.csv"')
          .send(daysToCsv(days));
      } finally {
        admitted();
        account();
      }
    })().catch((error: unknown) => {
      if (isPublicError(error)) return sendError(res, STATUS[String(error.extensions['code'])] ?? 500, error);
      const internal = internalError();
      deps.logger.error({ err: error, errorId: internal.extensions['errorId'] }, 'analytics export failed');
      return sendError(res, 500, internal);
    });
  });
  return router;
}
