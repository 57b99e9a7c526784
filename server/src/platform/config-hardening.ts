// The hardening half of the configuration (issue 16): operation limits, socket and rate limits,
// HTTP headers, switches that are off in production, metrics. Parsed by config.ts with its own
// readers, so every variable still fails startup the same way, named in one ConfigError.

/** express's `trust proxy` values we accept: off, a hop count, or addresses/subnets/names (proxy-addr). */
export type TrustProxy = false | number | readonly string[];

/** Each field names its variable, its default and its range; bad input fails startup naming the variable. */
export interface HardeningConfig {
  /** OPERATION_MAX_DEPTH: deepest field nesting of an operation, 1-100, default 10. */
  readonly operationMaxDepth: number;
  /**
   * OPERATION_MAX_COST: estimated cost limit, 1-10000000, default 25000. Every field costs 1; a
   * list multiplies its selection by its `first` argument, or by 20 when it has none (see
   * transport/operation-cost.ts). The dashboard's largest query costs about 2,500.
   */
  readonly operationMaxCost: number;
  /** OPERATION_MAX_LIST_NESTING: list fields inside list fields on one path, 1-20, default 3 (stops the Patient/Appointment cycle). */
  readonly operationMaxListNesting: number;
  /** OPERATION_MAX_ALIASES: aliases per operation, 0-1000, default 15. */
  readonly operationMaxAliases: number;
  /** OPERATION_MAX_ROOT_FIELDS: top-level fields per operation, 1-1000, default 10. */
  readonly operationMaxRootFields: number;
  /** OPERATION_MAX_DIRECTIVES: directives per operation, 0-1000, default 10. */
  readonly operationMaxDirectives: number;
  /** OPERATION_MAX_TOKENS: lexical tokens per document (graphql-js parse `maxTokens`), 100-1000000, default 3000. */
  readonly operationMaxTokens: number;
  /** OPERATION_MAX_BYTES: bytes of a query text, HTTP and socket, 256-1048576, default 32768. */
  readonly operationMaxBytes: number;
  /** GRAPHQL_PLAYGROUND: true/false; serve GraphiQL at GET /graphql. Default true, false in production. */
  readonly graphqlPlayground: boolean;
  /** GRAPHQL_INTROSPECTION: true/false; answer __schema/__type. Default true, false in production. */
  readonly graphqlIntrospection: boolean;
  /**
   * TRUST_PROXY: which proxies' X-Forwarded-For/-Proto to believe (express's `trust proxy`).
   * Default false (the socket's peer is the client). A whole number is a hop count; otherwise a
   * comma-separated list of addresses, CIDR subnets or proxy-addr names (loopback, linklocal,
   * uniquelocal). "true" is refused: it would let any client choose its address.
   */
  readonly trustProxy: TrustProxy;
  /** CORS_ORIGINS: comma-separated origins (https://app.example.org) allowed to call /graphql cross-origin. Default none. */
  readonly corsOrigins: readonly string[];
  /**
   * WS_ALLOWED_ORIGINS: comma-separated origins whose pages may open a socket, besides the
   * server's own origin and clients that send no Origin (apps, servers). Default none; other
   * browsers' pages get HTTP 403 at the upgrade.
   */
  readonly wsAllowedOrigins: readonly string[];
  /** WS_MAX_UNAUTHENTICATED_PER_ADDRESS: sockets one client address may hold before it signs in, 1-10000, default 20; more are closed with 4429. */
  readonly wsMaxUnauthenticatedPerAddress: number;
  /** WS_DOCUMENT_CACHE_BYTES: query text kept parsed and validated for sockets, 0-268435456, default 1048576 (0: no cache). */
  readonly wsDocumentCacheBytes: number;
  /** RATE_LIMIT_BOOKINGS_PER_MINUTE: bookAppointment calls per account per minute, 0 (off)-100000, default 30. */
  readonly rateLimitBookingsPerMinute: number;
  /** RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE: cancel/reschedule/complete calls per account per minute, 0 (off)-100000, default 60. */
  readonly rateLimitAppointmentChangesPerMinute: number;
  /** RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND: subscribe messages per socket per second, 0 (off)-100000, default 50. */
  readonly rateLimitSocketOperationsPerSecond: number;
  /** RATE_LIMIT_REGISTRATIONS_PER_HOUR: register calls per client address per hour, 0 (off)-100000, default 100. */
  readonly rateLimitRegistrationsPerHour: number;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>` (at least 16 bytes). Default unset: open. */
  readonly metricsToken: string | undefined;
}

/** The readers config.ts parses with; each records a problem naming the variable and returns the fallback. */
export interface EnvReaders {
  read(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  boolean(name: string, fallback: boolean): boolean;
  problem(message: string): void;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IP_OR_SUBNET = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;

export function parseHardeningConfig(env: EnvReaders, production: boolean): HardeningConfig {
  const list = (name: string): string[] =>
    (env.read(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const origins = (name: string): string[] =>
    list(name).filter((origin) => {
      const ok = URL.canParse(origin) && ['http:', 'https:'].includes(new URL(origin).protocol) && new URL(origin).origin === origin;
      if (!ok) env.problem(`${name} must list origins like https://clinic.example.org, without a path or trailing slash (got "${origin}")`);
      return ok;
    });

  let trustProxy: TrustProxy = false;
  const trustRaw = env.read('TRUST_PROXY');
  if (trustRaw !== undefined && !['false', '0', 'no', 'off'].includes(trustRaw.toLowerCase())) {
    if (/^\d+$/.test(trustRaw) && Number(trustRaw) <= 10) trustProxy = Number(trustRaw);
    else {
      const entries = list('TRUST_PROXY');
      const bad = entries.filter((entry) => !PROXY_NAMES.has(entry) && !IP_OR_SUBNET.test(entry));
      if (bad.length > 0 || entries.length === 0) {
        env.problem(`TRUST_PROXY must be false, a hop count 1-10, or addresses/subnets/loopback/linklocal/uniquelocal (got "${trustRaw}")`);
      } else trustProxy = entries;
    }
  }

  const metricsToken = env.read('METRICS_TOKEN');
  if (metricsToken !== undefined && Buffer.byteLength(metricsToken) < 16) env.problem('METRICS_TOKEN must be at least 16 bytes long');

  return {
    operationMaxDepth: env.integer('OPERATION_MAX_DEPTH', 10, 1, 100),
    operationMaxCost: env.integer('OPERATION_MAX_COST', 25_000, 1, 10_000_000),
    operationMaxListNesting: env.integer('OPERATION_MAX_LIST_NESTING', 3, 1, 20),
    operationMaxAliases: env.integer('OPERATION_MAX_ALIASES', 15, 0, 1000),
    operationMaxRootFields: env.integer('OPERATION_MAX_ROOT_FIELDS', 10, 1, 1000),
    operationMaxDirectives: env.integer('OPERATION_MAX_DIRECTIVES', 10, 0, 1000),
    operationMaxTokens: env.integer('OPERATION_MAX_TOKENS', 3000, 100, 1_000_000),
    operationMaxBytes: env.integer('OPERATION_MAX_BYTES', 32 * 1024, 256, 1024 * 1024),
    graphqlPlayground: env.boolean('GRAPHQL_PLAYGROUND', !production),
    graphqlIntrospection: env.boolean('GRAPHQL_INTROSPECTION', !production),
    trustProxy,
    corsOrigins: origins('CORS_ORIGINS'),
    wsAllowedOrigins: origins('WS_ALLOWED_ORIGINS'),
    wsMaxUnauthenticatedPerAddress: env.integer('WS_MAX_UNAUTHENTICATED_PER_ADDRESS', 20, 1, 10_000),
    wsDocumentCacheBytes: env.integer('WS_DOCUMENT_CACHE_BYTES', 1024 * 1024, 0, 256 * 1024 * 1024),
    rateLimitBookingsPerMinute: env.integer('RATE_LIMIT_BOOKINGS_PER_MINUTE', 30, 0, 100_000),
    rateLimitAppointmentChangesPerMinute: env.integer('RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE', 60, 0, 100_000),
    rateLimitSocketOperationsPerSecond: env.integer('RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND', 50, 0, 100_000),
    rateLimitRegistrationsPerHour: env.integer('RATE_LIMIT_REGISTRATIONS_PER_HOUR', 100, 0, 100_000),
    metricsToken,
  };
}
