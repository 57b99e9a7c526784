import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseNotificationConfig, type NotificationConfig } from './config-notifications';
import { parseHardeningConfig, type HardeningConfig } from './config-hardening';
import { parsePracticesConfig, type PracticesConfig } from './config-practices';

export type { HardeningConfig, TrustProxy } from './config-hardening';
export type { BootstrapConfig, PracticesConfig } from './config-practices';
export { productionPasswordWeakness } from './config-practices';

/** Why the process refused to start: every bad variable, named, in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Everything CareLine reads from its environment, parsed once. Nothing else reads `process.env`.
 * Each field names its variable, its default and what bad input does (startup fails with a
 * ConfigError naming the variable).
 */
export interface Config extends HardeningConfig, PracticesConfig {
  /** NODE_ENV: development (default), production or test. Production hides error details. */
  readonly nodeEnv: NodeEnv;
  /** HOST: interface to listen on. Default 127.0.0.1, or 0.0.0.0 in production. */
  readonly host: string;
  /** PORT: 0-65535, default 4000 (0 picks a free port, as tests do). */
  readonly port: number;
  /** DATABASE_URL: a postgres:// URL. Unset: embedded PostgreSQL (PGlite) in dataDir. */
  readonly databaseUrl: string | undefined;
  /** DATABASE_POOL_SIZE: connections per instance to PostgreSQL, 1-100, default 10. */
  readonly databasePoolSize: number;
  /** DATA_DIR: folder of the embedded database, default ./.careline/data (relative to where npm was run). */
  readonly dataDir: string;
  /** REDIS_URL: a redis:// URL. Set: events cross instances through Redis. Unset: in memory. */
  readonly redisUrl: string | undefined;
  /** REDIS_PREFIX: prefix of every Redis channel, default "careline:" (tests use one per run). */
  readonly redisPrefix: string;
  /** JWT_SECRET: HMAC key, at least 32 bytes. Required in production; generated per process otherwise. */
  readonly jwtSecret: string;
  /** True when jwtSecret was generated because JWT_SECRET was unset (tokens die with the process). */
  readonly jwtSecretGenerated: boolean;
  /**
   * JWT_EXPIRES_IN: access token lifetime like 900s, 15m, 1h; default 15m; 10s to 7d. Short on
   * purpose: clients renew with `refreshToken` while their session lives (SESSION_MAX_AGE).
   */
  readonly jwtExpiresInSeconds: number;
  /**
   * SESSION_MAX_AGE: absolute lifetime of a sign-in, like 12h or 30d; default 30d; 10s to 365d.
   * Refreshing never extends it; a socket is closed with 4401 when its session reaches it.
   */
  readonly sessionMaxAgeSeconds: number;
  /** LOGIN_MAX_FAILURES_PER_EMAIL: failed sign-ins for one email per LOGIN_FAILURE_WINDOW before RATE_LIMITED, 1-10000, default 10. */
  readonly loginMaxFailuresPerEmail: number;
  /** LOGIN_MAX_FAILURES_PER_ADDRESS: failed sign-ins from one client address per window, 1-1000000, default 100. */
  readonly loginMaxFailuresPerAddress: number;
  /** LOGIN_FAILURE_WINDOW: the window of both failure counts, like 15m; default 15m; 1s to 1d. */
  readonly loginFailureWindowSeconds: number;
  /**
   * AUDIT_RETENTION: how long audit rows are kept, like 6y, 400d; default 6y; 30d to 100y. Older
   * rows are deleted by the audit retention job only (nothing else in the system deletes them).
   */
  readonly auditRetentionSeconds: number;
  /**
   * SEED_DEMO: true/false; default true outside production. Adds demo logins once. With
   * NODE_ENV=production, true refuses to start: the demo passwords are public.
   */
  readonly seedDemo: boolean;
  /** LOG_LEVEL: pino level, default info (warn under test). */
  readonly logLevel: LogLevel;
  /** SHUTDOWN_TIMEOUT_MS: how long a graceful shutdown may take before exiting anyway, default 10000. */
  readonly shutdownTimeoutMs: number;
  /** CLIENT_DIST_DIR: built dashboard to serve at GET /, default client/dist of this repository. */
  readonly clientDistDir: string;
  /**
   * OUTBOX_SWEEP_INTERVAL_MS: how often each instance publishes outbox events that nobody has
   * published yet (an instance died between commit and publish, or pub/sub was down), 50-600000,
   * default 1000. The sweep is the safety net; the main path publishes right after commit.
   */
  readonly outboxSweepIntervalMs: number;
  /**
   * OUTBOX_PROMPT_DISPATCH: true/false, default true. False skips the publish right after commit,
   * so only the sweep publishes: it simulates a crash between commit and publish (fault tests) and
   * measures the cost of the outbox without its main path.
   */
  readonly outboxPromptDispatch: boolean;
  /**
   * EVENT_RETENTION: how long published events stay resumable, a duration like 7d, 12h, 30m; 1m
   * to 3650d, default 7d. Older events are pruned in the background; a cursor older than the
   * oldest retained event gets CURSOR_EXPIRED.
   */
  readonly eventRetentionSeconds: number;
  /**
   * WS_MAX_BUFFERED_BYTES: bytes a socket may have queued for sending (ws bufferedAmount) before
   * the server closes it with 1013 (slow consumer; the client resumes from its cursor),
   * 1024-1073741824, default 1048576 (1 MiB).
   */
  readonly wsMaxBufferedBytes: number;
  /**
   * SUBSCRIPTION_MAX_QUEUED_EVENTS: events one subscription may hold waiting for its socket before
   * the socket is closed with 1013 (slow consumer), 1-1000000, default 1000.
   */
  readonly subscriptionMaxQueuedEvents: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_SOCKET: operations one socket may run at once, 1-1000, default 20; more get RATE_LIMITED. */
  readonly wsMaxSubscriptionsPerSocket: number;
  /** WS_MAX_SOCKETS_PER_USER: sockets one user may hold on one instance, 1-10000, default 10; more are closed with 4429. */
  readonly wsMaxSocketsPerUser: number;
  /**
   * HTTP_MAX_IN_FLIGHT: GraphQL HTTP requests one instance executes at once, 1-10000, default 32.
   * HTTP_MAX_QUEUED: requests that may wait for a place, 0-100000, default 64.
   * HTTP_QUEUE_TIMEOUT_MS: how long one may wait, 1-60000, default 200 (one whose estimated wait is
   * longer is refused when it arrives). Beyond these a request is refused at once with HTTP 503, Retry-After and RATE_LIMITED (transport/admission.ts), instead
   * of every request waiting longer and longer.
   */
  readonly httpMaxInFlight: number;
  readonly httpMaxQueued: number;
  readonly httpQueueTimeoutMs: number;
  /**
   * DEBUG_ENDPOINTS: true/false, default false. True adds GET /debug/memory (process memory, with
   * ?gc=1 a forced GC first when node runs with --expose-gc) and GET /debug/subscribers, which the
   * benchmark harness reads. Never turn it on in production: it lets anyone trigger a full GC.
   */
  readonly debugEndpoints: boolean;
  /** Mail, reminders, webhooks and the job queue that sends them (config-notifications.ts). */
  readonly notifications: NotificationConfig;
}


type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, y: 365 * 86400 };
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Parses "90s", "15m", "1h", "7d", "6y" (or bare seconds) into seconds; undefined when malformed. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdy]?)$/.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  return amount * (DURATION_UNITS[match[2] || 's'] ?? 1);
}

/** Parses and validates an environment into a frozen Config, or throws one ConfigError naming every problem. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const nodeEnvRaw = read('NODE_ENV') ?? 'development';
  let nodeEnv: NodeEnv = 'development';
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'production' || nodeEnvRaw === 'test') nodeEnv = nodeEnvRaw;
  else problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  const production = nodeEnv === 'production';

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (name: string, protocols: readonly string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  };

  const jwtSecretRaw = read('JWT_SECRET');
  let jwtSecret = jwtSecretRaw ?? '';
  let jwtSecretGenerated = false;
  if (jwtSecretRaw === undefined) {
    if (production) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 bytes)');
    else {
      jwtSecret = randomBytes(32).toString('base64url');
      jwtSecretGenerated = true;
    }
  } else if (Buffer.byteLength(jwtSecretRaw, 'utf8') < 32) {
    problems.push('JWT_SECRET must be at least 32 bytes long');
  }

  const duration = (name: string, fallback: string, min: number, max: number, range: string): number => {
    const raw = read(name) ?? fallback;
    const seconds = parseDurationSeconds(raw);
    if (seconds === undefined || seconds < min || seconds > max) {
      problems.push(`${name} must be a duration like 15m, 1h or 7d, from ${range} (got "${raw}")`);
      return parseDurationSeconds(fallback) ?? min;
    }
    return seconds;
  };
  const jwtExpiresInSeconds = duration('JWT_EXPIRES_IN', '15m', 10, 7 * 86400, '10s to 7d');
  const sessionMaxAgeSeconds = duration('SESSION_MAX_AGE', '30d', 10, 365 * 86400, '10s to 365d');
  const loginFailureWindowSeconds = duration('LOGIN_FAILURE_WINDOW', '15m', 1, 86400, '1s to 1d');
  const auditRetentionSeconds = duration('AUDIT_RETENTION', '6y', 30 * 86400, 100 * 365 * 86400, '30d to 100y');

  const retentionRaw = read('EVENT_RETENTION') ?? '7d';
  let eventRetentionSeconds = parseDurationSeconds(retentionRaw);
  if (eventRetentionSeconds === undefined || eventRetentionSeconds < 60 || eventRetentionSeconds > 3650 * 86400) {
    problems.push(`EVENT_RETENTION must be a duration like 12h or 7d, from 1m to 3650d (got "${retentionRaw}")`);
    eventRetentionSeconds = 7 * 86400;
  }

  const logLevelRaw = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info');
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  // npm runs workspace scripts inside server/; INIT_CWD is where the user typed the command.
  const dataDir = path.resolve(read('INIT_CWD') ?? process.cwd(), read('DATA_DIR') ?? path.join('.careline', 'data'));
  const notifications = parseNotificationConfig({
    production,
    development: nodeEnv === 'development',
    dataDir,
    read,
    integer,
    boolean,
    url,
    problem: (message) => problems.push(message),
  });

  const config: Config = {
    nodeEnv,
    host: read('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: integer('PORT', 4000, 0, 65535),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 100),
    dataDir,
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: read('REDIS_PREFIX') ?? 'careline:',
    jwtSecret,
    jwtSecretGenerated,
    jwtExpiresInSeconds,
    sessionMaxAgeSeconds,
    loginMaxFailuresPerEmail: integer('LOGIN_MAX_FAILURES_PER_EMAIL', 10, 1, 10000),
    loginMaxFailuresPerAddress: integer('LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1000000),
    loginFailureWindowSeconds,
    auditRetentionSeconds,
    seedDemo: boolean('SEED_DEMO', !production),
    logLevel: logLevel ?? 'info',
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 10000, 100, 600000),
    clientDistDir: path.resolve(read('CLIENT_DIST_DIR') ?? path.join(REPO_ROOT, 'client', 'dist')),
    outboxSweepIntervalMs: integer('OUTBOX_SWEEP_INTERVAL_MS', 1000, 50, 600000),
    outboxPromptDispatch: boolean('OUTBOX_PROMPT_DISPATCH', true),
    eventRetentionSeconds,
    wsMaxBufferedBytes: integer('WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    subscriptionMaxQueuedEvents: integer('SUBSCRIPTION_MAX_QUEUED_EVENTS', 1000, 1, 1000000),
    wsMaxSubscriptionsPerSocket: integer('WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1, 1000),
    wsMaxSocketsPerUser: integer('WS_MAX_SOCKETS_PER_USER', 10, 1, 10000),
    httpMaxInFlight: integer('HTTP_MAX_IN_FLIGHT', 32, 1, 10000),
    httpMaxQueued: integer('HTTP_MAX_QUEUED', 64, 0, 100000),
    httpQueueTimeoutMs: integer('HTTP_QUEUE_TIMEOUT_MS', 200, 1, 60000),
    debugEndpoints: boolean('DEBUG_ENDPOINTS', false),
    notifications,
    ...parsePracticesConfig({ read, integer, boolean, problem: (message) => problems.push(message) }, production),
    ...parseHardeningConfig({ read, integer, boolean, problem: (message) => problems.push(message) }, production),
  };
  if (production && config.seedDemo) {
    problems.push('SEED_DEMO=true is refused when NODE_ENV=production: the demo accounts have public passwords');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

