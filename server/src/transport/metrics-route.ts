import { timingSafeEqual } from 'node:crypto';
import type { Express } from 'express';
import type { Database, PoolStats } from '../platform/database';
import { scrapedGauge, type Metrics } from '../platform/metrics';
import { readOutboxBacklog } from '../live/outbox';
import type { AppPubSub } from '../live/pubsub';
import type { RateLimits } from '../platform/rate-limits';
import { bearerToken } from '../accounts/tokens';

const PING_TIMEOUT_MS = 1000;

/** A pool's gauge samples: connections in use and idle, and requests waiting for one; none without the pool. */
function poolSamples(pool: PoolStats | undefined): Array<[Record<string, string>, number]> {
  if (!pool) return [];
  return [
    [{ state: 'in_use' }, pool.total - pool.idle],
    [{ state: 'idle' }, pool.idle],
    [{ state: 'waiting' }, pool.waiting],
  ];
}

/**
 * GET /metrics in Prometheus text format (prom-client). With METRICS_TOKEN set it needs
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). The gauges below are read at scrape
 * time; the counters and histograms are kept by the code they count.
 */
export function mountMetricsRoute(
  app: Express,
  deps: { metrics: Metrics; token: string | undefined; database: Database; pubSub: AppPubSub; rateLimits: RateLimits },
): void {
  const { metrics, database } = deps;
  scrapedGauge(
    metrics,
    { name: 'careline_outbox_backlog', help: 'Committed events not yet published to pub/sub (all instances).' },
    async () => [[{}, (await readOutboxBacklog(database.sql)).events]],
  );
  scrapedGauge(
    metrics,
    { name: 'careline_outbox_oldest_unpublished_age_seconds', help: 'Age of the oldest committed event not yet published; 0 when none.' },
    async () => [[{}, (await readOutboxBacklog(database.sql)).oldestAgeSeconds]],
  );
  scrapedGauge(
    metrics,
    {
      name: 'careline_db_pool_connections',
      help: 'PostgreSQL pool of this instance: connections by state (in_use, idle) and requests waiting for one.',
      labelNames: ['state'],
    },
    async () => poolSamples(database.poolStats()),
  );
  scrapedGauge(
    metrics,
    {
      name: 'careline_db_priority_pool_connections',
      help: "This instance's own connection for the audit rows answers and live events wait for: connections by state (in_use, idle) and writes waiting for it.",
      labelNames: ['state'],
    },
    async () => poolSamples(database.priorityPoolStats()),
  );
  scrapedGauge(
    metrics,
    {
      name: 'careline_db_replica_pool_connections',
      help: 'Read replica pool of this instance (DATABASE_REPLICA_URL): connections by state (in_use, idle) and requests waiting for one.',
      labelNames: ['state'],
    },
    async () => poolSamples(database.replicaPoolStats()),
  );
  scrapedGauge(
    metrics,
    {
      name: 'careline_component_up',
      help: '1 when the part answers, 0 when not: database, database_replica (with DATABASE_REPLICA_URL), pubsub (Redis or memory), rate_limit_store.',
      labelNames: ['component', 'kind'],
    },
    async () => [
      [{ component: 'database', kind: database.kind }, (await answers(database.ping())) ? 1 : 0],
      ...(database.pingReplica
        ? [
            [{ component: 'database_replica', kind: 'postgres' }, (await answers(database.pingReplica())) ? 1 : 0] as [
              Record<string, string>,
              number,
            ],
          ]
        : []),
      [{ component: 'pubsub', kind: deps.pubSub.kind }, (await answers(deps.pubSub.ping())) ? 1 : 0],
      [
        { component: 'rate_limit_store', kind: deps.rateLimits.store() === 'memory' ? 'memory' : 'redis' },
        ['memory', 'ready'].includes(deps.rateLimits.store()) ? 1 : 0,
      ],
    ],
  );

  const expected = deps.token === undefined ? undefined : Buffer.from(deps.token);
  app.get('/metrics', async (req, res) => {
    if (expected) {
      const given = Buffer.from(bearerToken(req.headers.authorization) ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).setHeader('www-authenticate', 'Bearer').type('text/plain').send('METRICS_TOKEN required\n');
        return;
      }
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(await metrics.registry.metrics());
  });
}

async function answers(probe: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
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
