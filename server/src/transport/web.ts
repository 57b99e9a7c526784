import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Request, type RequestHandler, type Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { Config } from '../platform/config';

/** Paths the server answers itself: never replaced by the dashboard's index.html. */
const SERVER_PATHS = ['/graphql', '/healthz', '/readyz', '/push'] as const;

// Vite names every asset by content hash, so they never change; the HTML entry points must be
// revalidated so a new build is picked up at the next load.
const ASSET_MAX_AGE = '365d';

/**
 * Serves the build's files, preferring the `.br` or `.gz` copy that `vite build` wrote beside each
 * (vite-plugin-compression2, brotli quality 11 and gzip 9, paid once at build time) when the
 * request's Accept-Encoding takes it: express-static-gzip sets Content-Encoding and
 * `Vary: Accept-Encoding`. It lists the folder when the server starts, so a build made later is
 * served uncompressed until the next start (then compressResponses compresses it on the fly).
 */
function staticFiles(root: string, options: { readonly immutable: boolean }): RequestHandler {
  return expressStaticGzip(root, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: options.immutable
      ? { index: false, immutable: true, maxAge: ASSET_MAX_AGE, fallthrough: true }
      : { index: false, maxAge: 0, fallthrough: true },
  });
}

/**
 * Compresses every other answer (GraphQL JSON, index.html, /metrics) on the fly with brotli or
 * gzip as the request accepts, over 1 kB (the `compression` package; brotli at its quality 4,
 * cheap enough per request). Answers already encoded (the build's precompressed files) pass as
 * they are; headers set before (CSP, Cache-Control) are kept. WebSocket upgrades never reach it.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: 1024 });
}

/**
 * The web front end on the API's port, from the built client (CLIENT_DIST_DIR, default client/dist):
 * - GET /graphql from a browser (Accept prefers text/html) opens the GraphiQL playground (when
 *   GRAPHQL_PLAYGROUND is on); any other GET /graphql passes on to Apollo as GraphQL over HTTP.
 * - Files of the build: hashed assets under /assets cached for a year as immutable, each sent
 *   precompressed (brotli or gzip) when the browser takes it.
 * - Any other GET that accepts HTML and names no file (/, /dashboard, /book...) gets the dashboard's
 *   index.html, so client routes survive a reload.
 * Without a build, those pages answer 503 with the command that makes one; the API is unaffected.
 * Mount it before the API routes.
 */
export function webRoutes(options: { readonly clientDistDir: string; readonly playground: Config['graphql']['playground'] }): Router {
  const distDir = options.clientDistDir;
  const router = express.Router();
  const sendEntry =
    (file: 'index.html' | 'playground.html'): RequestHandler =>
    (_req, res) => {
      const entry = path.join(distDir, file);
      if (!existsSync(entry)) {
        res.status(503).type('text/plain').send('The web client is not built yet: run `npm run build` (npm install does it too).\n');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(entry);
    };
  const playground = sendEntry('playground.html');
  const dashboard = sendEntry('index.html');

  // GRAPHQL_PLAYGROUND off (production default): GET /graphql is only GraphQL over HTTP.
  if (options.playground) router.get('/graphql', (req, res, next) => (prefersHtml(req) ? playground(req, res, next) : next()));
  router.use('/assets', staticFiles(path.join(distDir, 'assets'), { immutable: true }));
  if (!options.playground) router.get('/playground.html', (_req, res) => void res.status(404).end());
  router.use(staticFiles(distDir, { immutable: false }));
  router.use((req, res, next) => {
    // Any client that takes HTML (a browser, or `*/*` like curl) gets the page; a JSON-only fetch gets 404.
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && req.accepts('html') !== false && path.extname(req.path) === '';
    const isServerPath = SERVER_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
    if (isPage && !isServerPath) return dashboard(req, res, next);
    next();
  });
  return router;
}

/**
 * A browser navigating here. Listing JSON first makes `Accept: *\/*` (curl, fetch) pick JSON, while a
 * browser's `text/html,...,*\/*;q=0.8` picks HTML: the rule Apollo's own landing page uses.
 */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}
