import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds, from 1 ms (a local delivery) to 10 s (a stalled instance). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric an instance exposes at GET /metrics (prom-client, Prometheus text format), in one
 * registry per instance (tests run several in one process). README "Operating CareLine" lists
 * them with what they mean. Labels are bounded: operation = type and first root field (schema
 * names, not client-chosen operation names), code = a public error code or OK.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'careline_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'careline_http_requests_total',
      help: 'GraphQL requests over HTTP by operation (type:first root field) and outcome code (OK or the first error code).',
      labelNames: ['operation', 'code'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'careline_http_request_duration_seconds',
      help: 'Time from receiving a GraphQL HTTP request to sending its response, by operation.',
      labelNames: ['operation'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    openSockets: new Gauge({ name: 'careline_open_sockets', help: 'WebSocket connections open on this instance.', registers }),
    activeSubscriptions: new Gauge({
      name: 'careline_active_subscriptions',
      help: 'Subscriptions running on this instance, by root field.',
      labelNames: ['field'] as const,
      registers,
    }),
    eventsPublished: new Counter({
      name: 'careline_events_published_total',
      help: 'Events this instance published to pub/sub (after commit or by the sweep).',
      registers,
    }),
    eventsDelivered: new Counter({
      name: 'careline_events_delivered_total',
      help: 'Subscription messages (next) sent to sockets.',
      registers,
    }),
    eventsDropped: new Counter({
      name: 'careline_events_dropped_total',
      help: 'Sockets cut off because they did not keep up (the client resumes from its cursor), by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'careline_event_delivery_latency_seconds',
      help: 'Time from the commit of a change to the send of its subscription message (live events).',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'careline_rate_limit_refusals_total',
      help: 'Requests refused with RATE_LIMITED, by limiter.',
      labelNames: ['limiter'] as const,
      registers,
    }),
    replicaReads: new Counter({
      name: 'careline_db_replica_reads_total',
      help: 'Statements run on the read replica (DATABASE_REPLICA_URL), by use (catch_up, analytics).',
      labelNames: ['use'] as const,
      registers,
    }),
    primaryFallbacks: new Counter({
      name: 'careline_db_primary_fallback_total',
      help: 'Reads the primary completed because the replica had not replayed far enough yet, by use (catch_up).',
      labelNames: ['use'] as const,
      registers,
    }),
    operationRefusals: new Counter({
      name: 'careline_operation_refusals_total',
      help: 'Operations refused before execution (parse, validation and operation limits), by transport.',
      labelNames: ['transport'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A gauge whose value is read at scrape time (outbox backlog, pool, Redis state); a failed read reports nothing. */
export function scrapedGauge(
  metrics: Metrics,
  options: { name: string; help: string; labelNames?: readonly string[] },
  read: () => Promise<ReadonlyArray<[Record<string, string>, number]>>,
): void {
  new Gauge({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const values = await read().catch(() => []);
      for (const [labels, value] of values) this.set(labels, value);
    },
  });
}
