import type { Express } from 'express';
import type { AppPubSub } from '../live/pubsub';
import type { Database } from '../platform/database';

const READY_CHECK_TIMEOUT_MS = 2000;

/**
 * Operator probes. GET /healthz: the process answers (liveness). GET /readyz: the database and
 * pub/sub answer within 2 s each (readiness: 503 naming the part that does not, so a load
 * balancer stops sending traffic here until it is back; in production without engine details).
 */
export function mountHealthRoutes(app: Express, parts: { database: Database; pubSub: AppPubSub; production: boolean }): void {
  const { database, pubSub } = parts;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [databaseOk, pubSubOk] = await Promise.all([check(database.ping()), check(pubSub.ping())]);
    const failing = [...(databaseOk ? [] : ['database']), ...(pubSubOk ? [] : ['pubSub'])];
    // In production only the names of the failing parts: which engines run is not the public's business.
    const details = parts.production
      ? {}
      : { database: { kind: database.kind, ok: databaseOk }, pubSub: { kind: pubSub.kind, ok: pubSubOk } };
    res.status(failing.length === 0 ? 200 : 503).json({ status: failing.length === 0 ? 'ready' : 'unavailable', failing, ...details });
  });
}

async function check(probe: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe.then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
