import { randomUUID } from 'node:crypto';
import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../platform/config';
import { ErrorCode } from '../platform/errors';
import { requestScope } from '../platform/request-scope';
import type { OperationLimits } from './operation-limits';

/** An incoming x-request-id we log beside ours (a load balancer's, an app's); anything else is dropped. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id of the server's choosing (a new UUID), sent back as `x-request-id`:
 * audit rows name the request with it, so a client cannot choose or repeat the id its rows carry.
 * The caller's own `x-request-id`, when it looks like one, is kept as `clientRequestId` beside it
 * in every log line written while the request is handled (the logger reads both from the request
 * scope, so no code passes a logger along), which joins a load balancer's trace to ours.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    const scope = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? { requestId, clientRequestId: incoming } : { requestId };
    requestScope.run(scope, next);
  };
}

/**
 * Security headers (helmet) for every answer. The Content-Security-Policy allows what the
 * dashboard and the bundled GraphiQL need and nothing else: scripts and workers (Monaco's
 * language services) from this origin only, inline styles (Monaco and GraphiQL set style
 * attributes), images and fonts from this origin or data: URLs, fetch and WebSocket to this
 * origin. No page may frame ours (frame-ancestors 'none', X-Frame-Options DENY). HSTS is sent
 * only when the request arrived over HTTPS as a trusted proxy reports it (TRUST_PROXY and
 * X-Forwarded-Proto): sent over plain HTTP it would lock browsers out of a server without TLS.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 86400, includeSubDomains: true });
  return (req, res, next) =>
    headers(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (req.secure) return hsts(req, res, next);
      return next();
    });
}

/**
 * Cross-origin calls to /graphql only from CORS_ORIGINS (default: none, so browsers refuse other
 * sites' pages). Apollo's CSRF prevention stays on beside it: simple requests without a
 * preflight are refused unless they carry a content-type or apollo-require-preflight header.
 */
export function corsPolicy(config: Pick<Config['http'], 'corsOrigins'>): RequestHandler {
  const allowed = new Set(config.corsOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
}

/** Refuses a query text over OPERATION_MAX_BYTES (in a JSON body or a GET's ?query=) with 413, before parsing. */
export function querySizeLimit(limits: Pick<OperationLimits, 'checkSize'>): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const fromBody = typeof body === 'object' && body !== null && 'query' in body ? (body as { query: unknown }).query : undefined;
    const query = typeof fromBody === 'string' ? fromBody : typeof req.query['query'] === 'string' ? req.query['query'] : undefined;
    const refusal = query === undefined ? undefined : limits.checkSize(query);
    if (!refusal) return next();
    res
      .status(413)
      .json({ errors: [{ message: refusal.message, extensions: { code: ErrorCode.BadUserInput, reason: 'GRAPHQL_VALIDATION_FAILED' } }] });
  };
}
