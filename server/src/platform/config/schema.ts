// Every variable CareLine reads, declared once: its name, its concern, its kind and range, its
// default, what it does, and the production rules. parse.ts reads the environment with it,
// Config's type is derived from it, and docs/configuration.md is generated from it
// (`npm run config:docs`).
import { createECDH, randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  boolean,
  dataKey,
  dataKeys,
  duration,
  email,
  file,
  folder,
  hostPorts,
  integer,
  listOf,
  mailbox,
  oneOf,
  origins,
  secret,
  text,
  timeOfDay,
  timeZone,
  trustProxy,
  url,
  vapidKey,
  vapidSubject,
  type NodeEnv,
} from './kinds';
import { group, variable, type ValuesOf, type Variable } from './variable';

export type { NodeEnv, TrustProxy } from './kinds';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Read before every other variable: the defaults of some depend on it. */
export const NODE_ENV = variable({
  name: 'NODE_ENV',
  kind: oneOf<NodeEnv>(['development', 'production', 'test']),
  default: 'development',
  description:
    'Which kind of deployment this is. `production` hides every error detail and suggestion from clients, switches the playground, introspection and demo data off by default, and turns on the production rules of the variables below (a missing `JWT_SECRET` stops the start, for one).',
});

/** The variables by concern; each group is one object of Config (`config.jobs.concurrency`). */
export const CONFIG_GROUPS = {
  runtime: group({
    title: 'Environment and process',
    about: 'What kind of deployment this is, how much it logs, and how it stops.',
    variables: {
      nodeEnv: NODE_ENV,
      logLevel: variable({
        name: 'LOG_LEVEL',
        kind: oneOf(LOG_LEVELS),
        default: 'info',
        defaultIn: { test: 'warn' },
        description: 'The pino log level. Logs are JSON lines, one per event, with request ids; tokens and passwords are redacted.',
      }),
      shutdownTimeoutMs: variable({
        name: 'SHUTDOWN_TIMEOUT',
        kind: duration({ min: '100ms', max: '10m', in: 'milliseconds' }),
        default: '10s',
        formerly: { name: 'SHUTDOWN_TIMEOUT_MS', unit: 'ms' },
        description:
          'On SIGINT or SIGTERM the server stops taking connections, closes its sockets with 1001, lets in-flight requests finish and exits 0; past this long it exits 1 anyway, so a stuck shutdown cannot hold up the next deployment.',
      }),
    },
  }),

  http: group({
    title: 'HTTP server',
    about:
      'Where the server listens, what it serves besides the API, whom it believes about client addresses, and how many GraphQL requests it runs at once. Beyond `HTTP_MAX_IN_FLIGHT` running and `HTTP_MAX_QUEUED` waiting, a request is refused at once with HTTP 503, `Retry-After: 1` and `RATE_LIMITED`, before anything ran (`server/src/transport/admission.ts`): admitted requests stay fast under a rush instead of every request waiting longer; the dashboard and the booking form try again after that delay (up to 3 tries).',
    variables: {
      host: variable({
        name: 'HOST',
        kind: text('a host name or an IP address'),
        default: '127.0.0.1',
        defaultIn: { production: '0.0.0.0' },
        description: 'The interface to listen on, for HTTP and WebSocket alike.',
      }),
      port: variable({
        name: 'PORT',
        kind: integer(0, 65535),
        default: '4000',
        description: 'The HTTP and WebSocket port; `0` picks a free one (tests do).',
      }),
      publicUrl: variable({
        name: 'PUBLIC_URL',
        kind: url(['http:', 'https:']),
        default: 'http://localhost:4000',
        description:
          'The address apps and browsers reach this server at: the OAuth 2 / OpenID Connect issuer of third-party apps (`/.well-known/openid-configuration`, docs/apps.md). In production it must be `https:` unless it names this machine (`localhost`, `127.0.0.1`, `[::1]`).',
      }),
      clientDistDir: variable({
        name: 'CLIENT_DIST_DIR',
        kind: folder('repository'),
        default: 'client/dist',
        description:
          'The built dashboard, served at `GET /` and the client routes. Without a build those pages answer 503 with the command that makes one; the API is unaffected.',
      }),
      trustProxy: variable({
        name: 'TRUST_PROXY',
        kind: trustProxy(),
        default: 'false',
        description:
          "Which hops' `X-Forwarded-For` and `X-Forwarded-Proto` to believe, with express's `trust proxy` semantics: `false` (the socket's peer is the client), a hop count (`1` behind one load balancer), or addresses, CIDR subnets and the names `loopback`, `linklocal`, `uniquelocal`. The same rule gives the client address for rate limits, socket caps, audit rows and logs. `true` is refused: any client could choose its address.",
      }),
      corsOrigins: variable({
        name: 'CORS_ORIGINS',
        kind: origins(),
        default: '',
        description:
          "Origins whose pages may call `/graphql` from another site. Apollo's CSRF prevention stays on: a request without `content-type: application/json` (or an `apollo-require-preflight` header) is refused.",
      }),
      maxInFlight: variable({
        name: 'HTTP_MAX_IN_FLIGHT',
        kind: integer(1, 10000),
        default: '32',
        description: 'GraphQL HTTP requests one instance executes at once.',
      }),
      maxQueued: variable({
        name: 'HTTP_MAX_QUEUED',
        kind: integer(0, 100000),
        default: '64',
        description: 'GraphQL HTTP requests that may wait for a place; more are refused at once.',
      }),
      queueTimeoutMs: variable({
        name: 'HTTP_QUEUE_TIMEOUT',
        kind: duration({ min: '1ms', max: '60s', in: 'milliseconds' }),
        default: '200ms',
        formerly: { name: 'HTTP_QUEUE_TIMEOUT_MS', unit: 'ms' },
        description:
          'How long a request may wait for a place. One whose estimated wait (the queue ahead of it times the recent average service time) is longer is refused when it arrives, not when its time is up.',
      }),
      maxPerAccount: variable({
        name: 'ACCOUNT_MAX_CONCURRENT_OPERATIONS',
        kind: integer(1, 10000),
        default: '8',
        description:
          'Queries and mutations one signed-in account runs at once on one instance, over HTTP and WebSocket together (subscriptions are bounded by `WS_MAX_SUBSCRIPTIONS_PER_SOCKET` instead). One more is refused at once, before it takes a place in the admission queue, with `RATE_LIMITED`, `extensions.retryAfterSeconds` (HTTP 429, `Retry-After`): one account cannot take the places the others need. Signed-out requests are bounded by the rate limits per address instead.',
      }),
    },
  }),

  database: group({
    title: 'Database',
    about:
      'PostgreSQL when `DATABASE_URL` is set, otherwise an embedded PostgreSQL (PGlite) in `DATA_DIR`. Migrations run at startup on every instance (an advisory lock makes concurrent starts take turns; it is held per transaction, so they run through PgBouncer too). Behind PgBouncer in transaction mode, see `DATABASE_PREPARED_STATEMENTS` and docs/operating.md, "PgBouncer".',
    variables: {
      url: variable({
        name: 'DATABASE_URL',
        kind: url(['postgres:', 'postgresql:']),
        unset: 'the embedded PostgreSQL (PGlite) in `DATA_DIR`',
        description: 'The PostgreSQL database to use; it must exist. Every instance of a deployment uses the same one.',
      }),
      migrationUrl: variable({
        name: 'MIGRATION_DATABASE_URL',
        kind: url(['postgres:', 'postgresql:']),
        unset: 'migrations run with `DATABASE_URL`',
        description:
          'The same database as `DATABASE_URL`, as the role that owns the tables: migrations run with it, everything else with `DATABASE_URL`. Lets the server run as a role that cannot change or delete audit rows (`npm run admin -- create-app-role <name>`, docs/operating.md). Ignored without `DATABASE_URL`.',
      }),
      replicaUrl: variable({
        name: 'DATABASE_REPLICA_URL',
        kind: url(['postgres:', 'postgresql:']),
        unset: 'every read goes to `DATABASE_URL`',
        description:
          'A streaming replica of `DATABASE_URL`\'s database (asynchronous is fine): subscriptions catching up (a replay after a cursor, a gap in live events, after a pub/sub outage) and analytics (`practiceAnalytics`, the CSV export) read it. A catch-up read the replica cannot complete yet is completed from the primary, never skipped; analytics may lag by the replica\'s delay. Needs `DATABASE_URL` (the embedded database has no replica). Its own pool of `DATABASE_POOL_SIZE` read-only connections (docs/scaling.md, "Read replica").',
      }),
      poolSize: variable({
        name: 'DATABASE_POOL_SIZE',
        kind: integer(1, 100),
        default: '10',
        description:
          "Connections per instance to PostgreSQL for statements and transactions (the embedded database has one). Each instance opens one more, its own, for the audit rows that a read's answer and each live event wait for, so they never queue behind the pool's transactions: count `DATABASE_POOL_SIZE` + 1 per instance.",
      }),
      preparedStatements: variable({
        name: 'DATABASE_PREPARED_STATEMENTS',
        kind: boolean(),
        default: 'true',
        description:
          'Send each statement named, so PostgreSQL parses and plans it once per connection and reuses the plan. Set `false` when `DATABASE_URL` points at a pooler in transaction mode that does not track named prepared statements: PgBouncer before 1.21 (Debian 12 ships 1.18), or 1.21 and later with `max_prepared_statements = 0`. There a named statement prepared on one server connection is missing on the next (`prepared statement "…" does not exist`) or already there (`… already exists`). With `false` every statement is sent unnamed (parsed on each run, still one round trip). Leave it `true` with a direct connection or PgBouncer in session mode. Ignored without `DATABASE_URL`.',
      }),
      dataDir: variable({
        name: 'DATA_DIR',
        kind: folder('invocation'),
        default: '.careline/data',
        description:
          "The folder of the embedded database, and of the `.eml` files written when `SMTP_URL` is unset (`DATA_DIR/mail`). Only one process may use a folder at a time: a second one stops with a message naming the first one's pid.",
      }),
    },
  }),

  redis: group({
    title: 'Redis and pub/sub',
    about:
      'Redis (one server, or a Redis Cluster) carries live events, session revocations, socket presence and rate-limit counters between instances. Without it everything stays in one process: run one instance.',
    variables: {
      url: variable({
        name: 'REDIS_URL',
        kind: url(['redis:', 'rediss:']),
        unset: 'in memory (one instance)',
        description:
          "The Redis server. A `rediss://` URL connects with TLS, verifying the certificate against the system's CAs (a private CA: `NODE_EXTRA_CA_CERTS`).",
      }),
      clusterNodes: variable({
        name: 'REDIS_CLUSTER_NODES',
        kind: hostPorts(),
        unset: 'no cluster (`REDIS_URL`, or in memory)',
        description:
          'Some nodes of a Redis Cluster (7 or later), instead of `REDIS_URL`: the others are found from them. Live events then travel by sharded pub/sub (SPUBLISH and SSUBSCRIBE: each message reaches only the shard that owns its stream\'s channel); keys used together carry hash tags. Setting both `REDIS_URL` and `REDIS_CLUSTER_NODES` stops the start. docs/scaling.md, "Redis Cluster".',
      }),
      prefix: variable({
        name: 'REDIS_PREFIX',
        kind: text('any text'),
        default: 'careline:',
        description: 'Prefix of every Redis channel and key, so deployments (or test runs) can share one Redis.',
      }),
    },
  }),

  accounts: group({
    title: 'Accounts and sessions',
    about: 'A sign-in is a session; its access tokens are short-lived and renewed with `refreshToken` while the session lives.',
    variables: {
      jwtSecret: variable({
        name: 'JWT_SECRET',
        kind: secret(32),
        unset: 'a random secret per process, with a warning: tokens stop working when it restarts',
        requiredInProduction: true,
        description: 'The HMAC key of access tokens; the same on every instance of a deployment.',
      }),
      jwtExpiresInSeconds: variable({
        name: 'JWT_EXPIRES_IN',
        kind: duration({ min: '10s', max: '7d', in: 'seconds' }),
        default: '15m',
        description:
          "An access token's lifetime. Short on purpose: clients renew it with `refreshToken` while the session lives, and a WebSocket follows its session, not its token.",
      }),
      sessionMaxAgeSeconds: variable({
        name: 'SESSION_MAX_AGE',
        kind: duration({ min: '10s', max: '365d', in: 'seconds' }),
        default: '30d',
        description:
          "The absolute lifetime of a sign-in: no refresh extends it, and the session's sockets are closed with 4401 when it ends.",
      }),
      sessionIdleTimeoutSeconds: variable({
        name: 'SESSION_IDLE_TIMEOUT',
        kind: duration({ min: '1m', max: '30d', in: 'seconds', zeroIsOff: true }),
        default: '0',
        defaultIn: { production: '30m' },
        description:
          "A session with no user activity for this long ends: its tokens get `UNAUTHENTICATED` and its sockets close with 4401. Activity is an operation the user's client sends over HTTP or a socket; a subscription only receiving events is not. `0`: off.",
      }),
      mfaRequiredRoles: variable({
        name: 'MFA_REQUIRED_ROLES',
        kind: listOf(['PATIENT', 'DOCTOR', 'STAFF']),
        default: '',
        defaultIn: { production: 'DOCTOR,STAFF' },
        emptyIsValue: true,
        description:
          'The roles whose accounts must sign in with a second factor (TOTP). Such an account without one gets `MFA_REQUIRED` on every operation but `me`, the MFA enrollment mutations, `logout` and `refreshToken` until it enrolls; the same token then works. Set to an empty value: no role (MFA stays available to everyone).',
      }),
      passwordMinLength: variable({
        name: 'PASSWORD_MIN_LENGTH',
        kind: integer(8, 128),
        default: '12',
        description:
          "The shortest password accepted (register, changePassword, the bootstrap admin, the admin command). No composition rules: a password is also refused when it is a common one, a repetition or a sequence, or contains the email's name or the person's name (docs/security.md).",
      }),
      passwordHashCost: variable({
        name: 'PASSWORD_HASH_COST',
        kind: integer(10, 17),
        default: '15',
        description:
          "scrypt's cost for new password hashes, as a power of two: N = 2^15 by default (32 MB and about 0.1-0.2 s of one core per sign-in, r = 8, p = 1), at most 2^17 (OWASP's recommendation, 128 MB). Each hash keeps its parameters, so raising the cost applies to new passwords while stored ones still verify. Below 15 is refused in production; the tests use 10, where a hash takes milliseconds.",
      }),
    },
  }),

  signIn: group({
    title: 'Sign-in throttling',
    about:
      "Failed sign-ins are counted per email and per client address over one window; past either limit a sign-in gets `RATE_LIMITED` with `extensions.retryAfterSeconds`, even with the right password, until the window ends. A success resets the email's count.",
    variables: {
      maxFailuresPerEmail: variable({
        name: 'LOGIN_MAX_FAILURES_PER_EMAIL',
        kind: integer(1, 10000),
        default: '10',
        description: 'Failed sign-ins for one email per `LOGIN_FAILURE_WINDOW`.',
      }),
      maxFailuresPerAddress: variable({
        name: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
        kind: integer(1, 1000000),
        default: '100',
        description:
          'Failed sign-ins from one client address per `LOGIN_FAILURE_WINDOW`, for any email: an address guessing many accounts.',
      }),
      failureWindowSeconds: variable({
        name: 'LOGIN_FAILURE_WINDOW',
        kind: duration({ min: '1s', max: '1d', in: 'seconds' }),
        default: '15m',
        description: 'The window of both failure counts.',
      }),
    },
  }),

  audit: group({
    title: 'Audit trail',
    about: 'Who read or changed whose data, in hash-chained rows (`npm run audit:verify` checks the chains).',
    variables: {
      retentionSeconds: variable({
        name: 'AUDIT_RETENTION',
        kind: duration({ min: '30d', max: '100y', in: 'seconds' }),
        default: '6y',
        description:
          'How long audit rows are kept. Only the daily retention job deletes older rows, and it records where it cut each chain; nothing else deletes audit rows.',
      }),
      key: variable({
        name: 'AUDIT_KEY',
        kind: secret(32),
        unset: 'a fixed development key, with a warning (`npm run audit:verify` says so too): anyone can recompute the chains',
        requiredInProduction: true,
        description:
          'The HMAC-SHA256 key of the audit chains and of the signed checkpoints, e.g. `openssl rand -base64 48`. Never stored in the database: without it, someone who can write the database cannot recompute a chain over an edited row. The same on every instance and for `npm run audit:verify`; rows written under another key do not verify.',
      }),
      checkpointFile: variable({
        name: 'AUDIT_CHECKPOINT_FILE',
        kind: file(),
        unset: '`DATA_DIR/audit-checkpoints.jsonl`',
        description:
          "Where signed checkpoints of every audit chain's head are appended (one JSON line each). Keep it, or a copy, where the database's users cannot write (another host, append-only storage): `npm run audit:verify` reads it to notice rows deleted from a chain's end or pruned before their time.",
      }),
      checkpointIntervalMs: variable({
        name: 'AUDIT_CHECKPOINT_INTERVAL',
        kind: duration({ min: '1s', max: '1d', in: 'milliseconds' }),
        default: '5m',
        description:
          'How often the chains that moved are checkpointed (all of them at start, the moved ones at stop). Rows written after the last checkpoint can be removed from the end of a chain without a trace: a shorter interval narrows that window.',
      }),
    },
  }),

  encryption: group({
    title: 'Encryption at rest',
    about:
      'Secrets the server must read back (webhook signing secrets, TOTP secrets) are stored sealed with AES-256-GCM under a key that never enters the database. To rotate: set a new `DATA_ENCRYPTION_KEY`, move the old one to `DATA_ENCRYPTION_PREVIOUS_KEYS`, restart (each start re-seals what an old key sealed; `npm run admin -- reseal-secrets` does it on demand), then drop the old key.',
    variables: {
      key: variable({
        name: 'DATA_ENCRYPTION_KEY',
        kind: dataKey(),
        unset: 'a fixed development key, with a warning: anyone can open what it sealed',
        requiredInProduction: true,
        description:
          'The key that seals stored secrets (e.g. `openssl rand -hex 32`). Never stored in the database: a copy of the database alone does not give the secrets away. The same on every instance; losing it loses every sealed secret (webhook endpoints then need new secrets).',
      }),
      previousKeys: variable({
        name: 'DATA_ENCRYPTION_PREVIOUS_KEYS',
        kind: dataKeys(),
        unset: 'no previous key: a value sealed under another key is refused',
        description:
          'Keys that sealed values before the current one, during a rotation: they only open, and every start re-seals what they sealed under `DATA_ENCRYPTION_KEY`. Drop a key once `npm run admin -- reseal-secrets` reports nothing left under it.',
      }),
    },
  }),

  outbox: group({
    title: 'Live delivery (outbox)',
    about:
      'Every change writes its events in its own transaction; they are published to pub/sub right after the commit, and a sweep on every instance publishes whatever was not (an instance died in between, or pub/sub was down). Published events stay resumable for a while: a dashboard that reconnects catches up from its cursor.',
    variables: {
      sweepIntervalMs: variable({
        name: 'OUTBOX_SWEEP_INTERVAL',
        kind: duration({ min: '50ms', max: '10m', in: 'milliseconds' }),
        default: '1s',
        formerly: { name: 'OUTBOX_SWEEP_INTERVAL_MS', unit: 'ms' },
        description:
          'How often each instance publishes events nobody has published yet (also at once when the Redis publisher reconnects). The safety net: the main path publishes right after commit.',
      }),
      positionCheckIntervalMs: variable({
        name: 'STREAM_POSITION_CHECK_INTERVAL',
        kind: duration({ min: '100ms', max: '10m', in: 'milliseconds' }),
        default: '5s',
        description:
          "How often each instance compares, for every stream it has live subscribers of, the last sequence pub/sub brought with the stream's last sequence in the database (one batched query), and reads from the outbox what a lost message left behind, even when nothing new is published. Only with Redis (`REDIS_URL` or `REDIS_CLUSTER_NODES`).",
      }),
      promptDispatch: variable({
        name: 'OUTBOX_PROMPT_DISPATCH',
        kind: boolean(),
        default: 'true',
        description:
          'Publish right after commit. `false` leaves publishing to the sweep alone: it simulates a crash between commit and publish (fault tests) and measures the outbox without its main path. Never in production: every event waits for the sweep.',
      }),
      eventRetentionSeconds: variable({
        name: 'EVENT_RETENTION',
        kind: duration({ min: '1m', max: '3650d', in: 'seconds' }),
        default: '7d',
        description:
          'How long published events stay resumable. Older ones are pruned in the background a whole UTC day at a time (the outbox is partitioned by day), so an event stays at most a day longer; a cursor older than the oldest kept event gets `CURSOR_EXPIRED`.',
      }),
    },
  }),

  sockets: group({
    title: 'WebSockets',
    about:
      'Limits of the `graphql-transport-ws` sockets, per instance. A socket that falls behind is closed with 1013 (the client resumes from its cursor); too many sockets are closed with 4429.',
    variables: {
      allowedOrigins: variable({
        name: 'WS_ALLOWED_ORIGINS',
        kind: origins(),
        default: '',
        description:
          "Origins whose pages may open a socket, besides the server's own origin (the `Host` the request arrived with: behind a proxy that rewrites `Host`, list the public origin here) and clients that send no `Origin` (apps, servers). Any other browser page gets HTTP 403 at the upgrade (cross-site WebSocket hijacking).",
      }),
      maxUnauthenticatedPerAddress: variable({
        name: 'WS_MAX_UNAUTHENTICATED_PER_ADDRESS',
        kind: integer(1, 10000),
        default: '20',
        description:
          'Sockets one client address may hold before they sign in (graphql-ws drops each after 3 s anyway); more are closed with 4429.',
      }),
      maxSocketsPerUser: variable({
        name: 'WS_MAX_SOCKETS_PER_USER',
        kind: integer(1, 10000),
        default: '10',
        description: 'Sockets one user may hold on one instance; more are closed with 4429.',
      }),
      maxSubscriptionsPerSocket: variable({
        name: 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET',
        kind: integer(1, 1000),
        default: '20',
        description: 'Operations one socket may run at once; more get `RATE_LIMITED`.',
      }),
      maxBufferedBytes: variable({
        name: 'WS_MAX_BUFFERED_BYTES',
        kind: integer(1024, 1073741824),
        default: '1048576',
        description: 'Bytes a socket may have waiting to be sent (`ws` `bufferedAmount`) before it is closed with 1013 as a slow consumer.',
      }),
      maxQueuedEvents: variable({
        name: 'SUBSCRIPTION_MAX_QUEUED_EVENTS',
        kind: integer(1, 1000000),
        default: '1000',
        description: 'Events one subscription may hold for a client that reads too slowly before its socket is closed with 1013.',
      }),
      documentCacheBytes: variable({
        name: 'WS_DOCUMENT_CACHE_BYTES',
        kind: integer(0, 268435456),
        default: '1048576',
        description:
          'Query text kept parsed and validated for sockets, least recently used dropped first; `0` keeps none. Invalid documents are never kept.',
      }),
    },
  }),

  graphql: group({
    title: 'GraphQL: playground, introspection and operation limits',
    about:
      'Every operation meets these limits before it runs, over HTTP and WebSocket alike, in this order: bytes, tokens (while parsing), the validation rules (depth, aliases, directives, root fields, list nesting, introspection when off), then the cost. A refusal is `BAD_USER_INPUT` naming the limit; over a socket it ends that operation only.',
    variables: {
      playground: variable({
        name: 'GRAPHQL_PLAYGROUND',
        kind: boolean(),
        default: 'true',
        defaultIn: { production: 'false' },
        description:
          "Serve GraphiQL at `GET /graphql` to browsers. It keeps its tabs in the tab's sessionStorage and never stores headers (the bearer token); it needs introspection.",
      }),
      introspection: variable({
        name: 'GRAPHQL_INTROSPECTION',
        kind: boolean(),
        default: 'true',
        defaultIn: { production: 'false' },
        description: 'Answer `__schema` and `__type`, over the socket too.',
      }),
      maxBytes: variable({
        name: 'OPERATION_MAX_BYTES',
        kind: integer(256, 1048576),
        default: '32768',
        description: 'Bytes of query text (HTTP status 413 beyond it); the JSON body itself is capped at 1 MB.',
      }),
      maxTokens: variable({
        name: 'OPERATION_MAX_TOKENS',
        kind: integer(100, 1000000),
        default: '3000',
        description: "Lexical tokens of a document: graphql-js's parser stops there, before any syntax tree is built.",
      }),
      maxDepth: variable({
        name: 'OPERATION_MAX_DEPTH',
        kind: integer(1, 100),
        default: '10',
        description: "Deepest field nesting of an operation; introspection's `__schema` is not counted.",
      }),
      maxAliases: variable({
        name: 'OPERATION_MAX_ALIASES',
        kind: integer(0, 1000),
        default: '15',
        description: 'Aliases per operation.',
      }),
      maxRootFields: variable({
        name: 'OPERATION_MAX_ROOT_FIELDS',
        kind: integer(1, 1000),
        default: '10',
        description: 'Top-level fields per operation.',
      }),
      maxDirectives: variable({
        name: 'OPERATION_MAX_DIRECTIVES',
        kind: integer(0, 1000),
        default: '10',
        description: 'Directives per operation.',
      }),
      maxListNesting: variable({
        name: 'OPERATION_MAX_LIST_NESTING',
        kind: integer(1, 20),
        default: '3',
        description:
          'List fields inside list fields on one path. Besides, always: a list field may not appear inside itself (`Patient.appointments` under `Patient.appointments`, the cycle through `Appointment.patient`).',
      }),
      maxCost: variable({
        name: 'OPERATION_MAX_COST',
        kind: integer(1, 10000000),
        default: '25000',
        description:
          "The estimated cost limit: every field costs 1, and a list multiplies its selection by its `first` argument, or by 20 without one (`server/src/transport/operation-limits.ts`). The dashboard's patient list costs about 2,400 at its page size of 20.",
      }),
      slotsMaxResults: variable({
        name: 'SLOTS_MAX_RESULTS',
        kind: integer(1, 1000000),
        default: '2000',
        description:
          "The most slots an operation's `availableSlots` fields together could return: each counts its range cut into slots of its `durationMinutes` (31 days of 5-minute slots is 8,928), aliases add up, and more is `BAD_USER_INPUT` before anything runs. `availableSlots` costs as many as its slots in `OPERATION_MAX_COST` too. The booking form asks for one day (at most 288 slots).",
      }),
    },
  }),

  rateLimits: group({
    title: 'Rate limits',
    about:
      'Counters in Redis when `REDIS_URL` is set (keys under `REDIS_PREFIX`), so every instance spends one budget; in memory otherwise, and in memory at once with the same budget while Redis does not answer. A refusal is `RATE_LIMITED` with `extensions.retryAfterSeconds` (HTTP 429 with `Retry-After`); each alias counts. `0` turns a limit off.',
    variables: {
      bookingsPerMinute: variable({
        name: 'RATE_LIMIT_BOOKINGS_PER_MINUTE',
        kind: integer(0, 100000),
        default: '30',
        description: '`bookAppointment` calls per account (per client address when signed out) per minute.',
      }),
      appointmentChangesPerMinute: variable({
        name: 'RATE_LIMIT_APPOINTMENT_CHANGES_PER_MINUTE',
        kind: integer(0, 100000),
        default: '60',
        description: '`cancelAppointment`, `rescheduleAppointment` and `completeAppointment` calls per account per minute.',
      }),
      socketOperationsPerSecond: variable({
        name: 'RATE_LIMIT_SOCKET_OPERATIONS_PER_SECOND',
        kind: integer(0, 100000),
        default: '50',
        description: 'Subscribe messages per socket per second, counted on its instance (a dashboard sends 3 when it connects).',
      }),
      registrationsPerHour: variable({
        name: 'RATE_LIMIT_REGISTRATIONS_PER_HOUR',
        kind: integer(0, 100000),
        default: '100',
        description: "`register` calls per client address per hour (a waiting room's shared Wi-Fi stays far below it).",
      }),
    },
  }),

  mail: group({
    title: 'Mail and reminders',
    about: 'Confirmations, changes, reminders, daily agendas and invitations, sent by the job queue.',
    variables: {
      smtpUrl: variable({
        name: 'SMTP_URL',
        kind: url(['smtp:', 'smtps:']),
        unset: 'each message is written as an `.eml` file under `DATA_DIR/mail` (and listed at `GET /dev/mail` in development)',
        description:
          "The mail relay. Its connections are pooled (at most 5, each kept open between messages, nodemailer's pool); `?pool=false` at the end of the URL opens one per message instead.",
      }),
      from: variable({
        name: 'MAIL_FROM',
        kind: mailbox(),
        default: 'CareLine <no-reply@careline.invalid>',
        description: 'The sender of every message; its domain is the domain of Message-IDs and `.ics` UIDs.',
      }),
      reminderHoursBefore: variable({
        name: 'REMINDER_HOURS_BEFORE',
        kind: integer(1, 720),
        default: '24',
        description:
          'Hours before the start an appointment reminder is mailed. It is checked again when due: none for a cancelled appointment, and a moved one is reminded at its new time.',
      }),
      dailyAgendaMinute: variable({
        name: 'DAILY_AGENDA_TIME',
        kind: timeOfDay(),
        default: '07:00',
        description: "When each doctor's agenda of the day is mailed, on the doctor's own clock (their time zone).",
      }),
    },
  }),

  jobs: group({
    title: 'Job queue',
    about:
      "The queue (`server/src/jobs/`) that sends mail and webhooks: jobs are written in the transaction of the change they follow, and every instance's worker runs them.",
    variables: {
      concurrency: variable({
        name: 'JOB_CONCURRENCY',
        kind: integer(1, 100),
        default: '4',
        description: 'Jobs one instance runs at once (each holds a database connection only briefly; sends wait on the network).',
      }),
      pollIntervalMs: variable({
        name: 'JOB_POLL_INTERVAL',
        kind: duration({ min: '20ms', max: '10m', in: 'milliseconds' }),
        default: '1s',
        formerly: { name: 'JOB_POLL_INTERVAL_MS', unit: 'ms' },
        description: 'How often each instance looks for due jobs; a commit on the instance wakes its worker at once.',
      }),
      leaseMs: variable({
        name: 'JOB_LEASE',
        kind: duration({ min: '1s', max: '1h', in: 'milliseconds' }),
        default: '60s',
        description:
          'How long a claimed job is reserved for its instance: an instance that dies mid-send leaves the job to another once the lease has expired. It must exceed the longest send (webhooks time out after 10 s).',
      }),
      retryBaseMs: variable({
        name: 'JOB_RETRY_BASE',
        kind: duration({ min: '10ms', max: '1h', in: 'milliseconds' }),
        default: '30s',
        description: 'The first retry delay of a failed mail or webhook, doubled per attempt, capped at 1 h, with jitter.',
      }),
      retryLimit: variable({
        name: 'JOB_RETRY_LIMIT',
        kind: integer(1, 100),
        default: '10',
        description: 'Attempts before a mail job is dead, its reason kept. Webhooks retry for `WEBHOOK_RETRY_WINDOW` instead.',
      }),
    },
  }),

  sms: group({
    title: 'Text messages (Twilio)',
    about:
      "Appointment texts to patients who chose SMS (with a phone and consent), sent by the job queue through Twilio's Messages API; replies and delivery reports arrive at `POST /sms/twilio/inbound` and `POST /sms/twilio/status` (docs/messaging.md).",
    variables: {
      accountSid: variable({
        name: 'TWILIO_ACCOUNT_SID',
        kind: text('a Twilio account SID (AC...)'),
        unset: 'no texts are sent: patients who chose SMS get their messages by email, and the /sms/twilio routes answer 404',
        description: 'The Twilio account that sends the texts (with `TWILIO_AUTH_TOKEN`).',
      }),
      authToken: variable({
        name: 'TWILIO_AUTH_TOKEN',
        kind: secret(1),
        unset: 'no texts are sent',
        description:
          "The account's auth token: it signs API requests and checks the `X-Twilio-Signature` of every inbound request (403 when it does not match). Never logged.",
      }),
      from: variable({
        name: 'TWILIO_FROM',
        kind: text('a phone number in E.164 (+14155550100)'),
        unset: '`TWILIO_MESSAGING_SERVICE_SID` must be set instead',
        description: 'The number texts are sent from. `TWILIO_MESSAGING_SERVICE_SID` wins when both are set.',
      }),
      messagingServiceSid: variable({
        name: 'TWILIO_MESSAGING_SERVICE_SID',
        kind: text('a Messaging Service SID (MG...)'),
        unset: 'texts are sent from `TWILIO_FROM`',
        description: 'A Twilio Messaging Service to send through (its sender pool, opt-out handling and compliance settings).',
      }),
      apiBaseUrl: variable({
        name: 'TWILIO_API_BASE_URL',
        kind: url(['http:', 'https:']),
        default: 'https://api.twilio.com',
        description:
          "Where Twilio's REST API is reached: another address for a proxy or a test server (requests to `https://api.twilio.com/...` go to `<TWILIO_API_BASE_URL>/...`).",
      }),
      monthlyBudget: variable({
        name: 'SMS_MONTHLY_BUDGET',
        kind: integer(0, 10_000_000),
        default: '1000',
        description:
          "Texts each practice may send per calendar month (in the practice's time zone). Past it a text is refused, recorded as `refused`, logged, and the message goes by email instead. `0`: no texts.",
      }),
    },
  }),

  webhooks: group({
    title: 'Webhooks',
    about: "A practice's endpoints receive its events as signed POSTs, retried with backoff.",
    variables: {
      allowPrivate: variable({
        name: 'WEBHOOK_ALLOW_PRIVATE',
        kind: boolean(),
        default: 'false',
        defaultIn: { development: 'true' },
        description:
          '`true` lets webhook URLs use `http://` and reach loopback, private and link-local addresses (local receivers). `false` refuses such URLs when an endpoint is created and at each send. Never in production.',
      }),
      retryWindowMs: variable({
        name: 'WEBHOOK_RETRY_WINDOW',
        kind: duration({ min: '1m', max: '30d', in: 'milliseconds' }),
        default: '24h',
        description:
          'How long a failing delivery is retried after its event, and how long an endpoint may keep failing before it is disabled.',
      }),
    },
  }),

  push: group({
    title: 'Web Push',
    about:
      'Notifications to browsers that registered a push subscription (docs/messaging.md, "Web Push"). Push is on when the three VAPID variables are set, off when none is; one or two alone stop the start, in every environment, so a half-configured push never runs. `npm run admin -- vapid-keys` prints a new key pair.',
    variables: {
      vapidPublicKey: variable({
        name: 'VAPID_PUBLIC_KEY',
        kind: vapidKey(65, false),
        unset: 'push is off: `GET /push/vapid-public-key` answers 404 and `registerPushSubscription` is refused',
        description:
          "The VAPID public key (RFC 8292) the dashboard subscribes browsers with, served at `GET /push/vapid-public-key`. Changing it invalidates every browser's subscription: each must subscribe again.",
      }),
      vapidPrivateKey: variable({
        name: 'VAPID_PRIVATE_KEY',
        kind: vapidKey(32, true),
        unset: 'push is off',
        description:
          'The private half of `VAPID_PUBLIC_KEY`: it signs the JWT every push request carries. It must belong to the public key (checked at start). Keep it secret; the same on every instance.',
      }),
      vapidSubject: variable({
        name: 'VAPID_SUBJECT',
        kind: vapidSubject(),
        unset: 'push is off',
        description:
          "How a push service reaches the operator (`mailto:ops@clinic.example` or an `https:` URL), sent as the VAPID JWT's `sub`.",
      }),
    },
  }),

  practices: group({
    title: 'Practices and registration',
    about: "Who may register as what: patients freely, doctors and staff with an invitation from their practice's admin.",
    variables: {
      invitationTtlSeconds: variable({
        name: 'INVITATION_TTL',
        kind: duration({ min: '10m', max: '90d', in: 'seconds' }),
        default: '7d',
        description: 'How long an invitation code stays valid; a code presented later gets `FORBIDDEN`.',
      }),
      doctorSelfRegistration: variable({
        name: 'DOCTOR_SELF_REGISTRATION',
        kind: boolean(),
        default: 'false',
        description:
          '`true` lets anyone register as DOCTOR without an invitation, each in a new one-doctor practice of which they are the admin (sandboxes, tests). `false`: DOCTOR and STAFF registration needs an invitation code (`FORBIDDEN` without one).',
      }),
    },
  }),

  scheduling: group({
    title: 'Scheduling holds',
    about:
      'A hold (GraphQL `holdSlot`, FHIR `Appointment/$hold`) takes a time for a while so nobody else can book or hold it; booking with its id turns it into the appointment. The database enforces it (docs/fhir.md, "Holds").',
    variables: {
      holdTtlMs: variable({
        name: 'HOLD_TTL',
        kind: duration({ min: '10s', max: '1h', in: 'milliseconds' }),
        default: '5m',
        description:
          'How long a hold keeps its time. Afterwards the time is free again at once (a booking or a hold of it deletes the expired hold in its own statement; a sweep removes the rest every minute), and booking with the expired hold is `HOLD_EXPIRED`.',
      }),
    },
  }),

  bootstrap: group({
    title: 'First practice (bootstrap)',
    about:
      'At startup, once: the first practice and its STAFF admin, so a new deployment can be signed into. Nothing happens when an account with that email exists. `BOOTSTRAP_PRACTICE_NAME`, `BOOTSTRAP_ADMIN_EMAIL` and `BOOTSTRAP_ADMIN_PASSWORD` go together: one or two alone stop the start.',
    variables: {
      practiceName: variable({
        name: 'BOOTSTRAP_PRACTICE_NAME',
        kind: text('any text'),
        unset: 'no practice is created',
        description: 'The name of the first practice.',
      }),
      adminEmail: variable({
        name: 'BOOTSTRAP_ADMIN_EMAIL',
        kind: email(),
        unset: 'no practice is created',
        description: "The admin's email (its sign-in), kept in lower case.",
      }),
      adminPassword: variable({
        name: 'BOOTSTRAP_ADMIN_PASSWORD',
        kind: secret(0),
        unset: 'no practice is created',
        description:
          "The admin's password: it must pass the password rule (`PASSWORD_MIN_LENGTH` characters, not a common password, a repetition or a sequence, not containing the email's name), or the start stops (the message never shows it).",
      }),
      practiceTimeZone: variable({
        name: 'BOOTSTRAP_PRACTICE_TIME_ZONE',
        kind: timeZone(),
        default: 'UTC',
        description: 'The time zone of the first practice.',
      }),
    },
  }),

  operator: group({
    title: 'Demo data, metrics and debugging',
    about: 'Switches for trying CareLine out, watching it, and measuring it.',
    variables: {
      seedDemo: variable({
        name: 'SEED_DEMO',
        kind: boolean(),
        default: 'true',
        defaultIn: { production: 'false' },
        description:
          'Add the demo practice (admin, front desk, two doctors), patients and bookings once; the sign-in page lists the demo logins.',
      }),
      metricsToken: variable({
        name: 'METRICS_TOKEN',
        kind: secret(16),
        unset: '`GET /metrics` is open: keep it off the public network',
        description:
          'When set, a scrape of `GET /metrics` (Prometheus text format) needs `Authorization: Bearer <METRICS_TOKEN>`; 401 otherwise.',
      }),
      debugEndpoints: variable({
        name: 'DEBUG_ENDPOINTS',
        kind: boolean(),
        default: 'false',
        description:
          'For the benchmark harness (`npm run bench`): adds `GET /debug/memory` (process memory; with `?gc=1` a forced full GC first, when node runs with `--expose-gc`) `GET /debug/subscribers` (live subscriptions of some doctors) and `POST /debug/heap-snapshot` (a V8 heap snapshot written to the temporary directory), and gives every subscription message its commit time in `extensions.committedAtMs`. Never on a server the public can reach: anyone could trigger a full GC or a snapshot of the heap, which holds every secret the process knows.',
      }),
    },
  }),
};

/** The values read from the environment, by group and field. */
export type ConfigValues = { readonly [G in keyof typeof CONFIG_GROUPS]: ValuesOf<(typeof CONFIG_GROUPS)[G]['variables']> };

/** A rule across variables or environments; the reference lists it under each variable it names. */
export interface ConfigRule {
  readonly variables: readonly string[];
  /** The rule in one sentence. */
  readonly text: string;
  /** A problem naming the variable, or undefined when the rule holds. `isSet`: given in the environment. */
  check(values: ConfigValues, isSet: (name: string) => boolean): string | undefined;
}

const BOOTSTRAP_TOGETHER = ['BOOTSTRAP_PRACTICE_NAME', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD'] as const;
const VAPID_TOGETHER = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const;

/** Whether the private P-256 scalar (base64url) derives the public point (base64url, uncompressed). */
export function vapidKeysMatch(publicKey: string, privateKey: string): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    return ecdh.getPublicKey().equals(Buffer.from(publicKey, 'base64url'));
  } catch {
    return false;
  }
}

/** The rules that stop the start, production's first: it fails closed. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    variables: ['DATABASE_REPLICA_URL', 'DATABASE_URL'],
    text: '`DATABASE_REPLICA_URL` needs `DATABASE_URL`: with the embedded database (PGlite) it stops the start.',
    check: (values) =>
      values.database.replicaUrl !== undefined && values.database.url === undefined
        ? 'DATABASE_REPLICA_URL is set but DATABASE_URL is not: the embedded database (PGlite) has no replica; set DATABASE_URL to the primary or unset DATABASE_REPLICA_URL'
        : undefined,
  },
  {
    variables: ['REDIS_URL', 'REDIS_CLUSTER_NODES'],
    text: 'One Redis or one Redis Cluster: setting both `REDIS_URL` and `REDIS_CLUSTER_NODES` stops the start.',
    check: (values) =>
      values.redis.url !== undefined && values.redis.clusterNodes !== undefined
        ? 'REDIS_URL and REDIS_CLUSTER_NODES are both set: use one (REDIS_URL for one Redis, REDIS_CLUSTER_NODES for a Redis Cluster)'
        : undefined,
  },
  {
    variables: ['PASSWORD_HASH_COST'],
    text: 'Below `15` is refused in production: a cheaper hash makes stolen password hashes cheaper to crack.',
    check: (values) =>
      values.runtime.nodeEnv === 'production' && values.accounts.passwordHashCost < 15
        ? `PASSWORD_HASH_COST=${values.accounts.passwordHashCost} is refused when NODE_ENV=production: use 15 or more (2^15 is scrypt's floor here)`
        : undefined,
  },
  {
    variables: ['SEED_DEMO'],
    text: '`true` is refused in production: the demo accounts have public passwords.',
    check: (values) =>
      values.runtime.nodeEnv === 'production' && values.operator.seedDemo
        ? 'SEED_DEMO=true is refused when NODE_ENV=production: the demo accounts have public passwords'
        : undefined,
  },
  {
    variables: ['MAIL_FROM', 'SMTP_URL'],
    text: 'In production, `MAIL_FROM` is required when `SMTP_URL` is set: a relay rejects or spam-files a made-up sender.',
    check: (values, isSet) =>
      values.runtime.nodeEnv === 'production' && values.mail.smtpUrl !== undefined && !isSet('MAIL_FROM')
        ? 'MAIL_FROM is required when NODE_ENV=production and SMTP_URL is set (e.g. "CareLine <no-reply@clinic.example>")'
        : undefined,
  },
  {
    variables: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_MESSAGING_SERVICE_SID'],
    text: '`TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` go together, with `TWILIO_FROM` or `TWILIO_MESSAGING_SERVICE_SID`: a partial set stops the start.',
    check: (values) => {
      const { accountSid, authToken, from, messagingServiceSid } = values.sms;
      if (accountSid === undefined && authToken === undefined) return undefined;
      if (accountSid === undefined || authToken === undefined)
        return 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together: one is set without the other';
      return from === undefined && messagingServiceSid === undefined
        ? 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when TWILIO_ACCOUNT_SID is set'
        : undefined;
    },
  },
  {
    variables: ['PUBLIC_URL'],
    text: 'In production an `http:` `PUBLIC_URL` is refused unless its host is `localhost`, `127.0.0.1` or `[::1]`: tokens and passwords of third-party apps would cross the network in clear.',
    check: (values) =>
      values.runtime.nodeEnv === 'production' && !isSecureIssuer(values.http.publicUrl)
        ? 'PUBLIC_URL must start with https:// when NODE_ENV=production (http:// only for localhost, 127.0.0.1 or [::1])'
        : undefined,
  },
  {
    variables: VAPID_TOGETHER,
    text: "`VAPID_PUBLIC_KEY`, `VAPID_PRIVATE_KEY` and `VAPID_SUBJECT` go together (all three: push on; none: off); one or two alone, or a private key that is not the public key's, stop the start.",
    check: (values, isSet) => {
      const given = VAPID_TOGETHER.filter(isSet);
      if (given.length === 0) return undefined;
      if (given.length < VAPID_TOGETHER.length) {
        const missing = VAPID_TOGETHER.filter((name) => !isSet(name));
        return `${VAPID_TOGETHER.join(', ')} go together: ${given.join(', ')} set but ${missing.join(', ')} missing`;
      }
      const { vapidPublicKey, vapidPrivateKey } = values.push;
      if (vapidPublicKey === undefined || vapidPrivateKey === undefined) return undefined; // refused by its kind already
      return vapidKeysMatch(vapidPublicKey, vapidPrivateKey) ? undefined : 'VAPID_PRIVATE_KEY is not the private key of VAPID_PUBLIC_KEY';
    },
  },
  {
    variables: BOOTSTRAP_TOGETHER,
    text: '`BOOTSTRAP_PRACTICE_NAME`, `BOOTSTRAP_ADMIN_EMAIL` and `BOOTSTRAP_ADMIN_PASSWORD` go together: one or two alone stop the start.',
    check: (_values, isSet) => {
      const given = BOOTSTRAP_TOGETHER.filter(isSet);
      if (given.length === 0 || given.length === BOOTSTRAP_TOGETHER.length) return undefined;
      const missing = BOOTSTRAP_TOGETHER.filter((name) => !isSet(name));
      return `${BOOTSTRAP_TOGETHER.join(', ')} go together: ${given.join(', ')} set but ${missing.join(', ')} missing`;
    },
  },
  {
    variables: ['BOOTSTRAP_ADMIN_PASSWORD', 'PASSWORD_MIN_LENGTH'],
    text: 'At least `PASSWORD_MIN_LENGTH` characters; the rest of the password rule is checked when the admin is created at startup, which stops when it fails.',
    check: ({ accounts, bootstrap }) =>
      bootstrap.adminPassword !== undefined && bootstrap.adminPassword.length < accounts.passwordMinLength
        ? `BOOTSTRAP_ADMIN_PASSWORD is too weak: it needs at least ${accounts.passwordMinLength} characters`
        : undefined,
  },
];

/** Whether an issuer URL keeps its traffic private: https, or http to this machine only. */
export function isSecureIssuer(value: string): boolean {
  const parsed = new URL(value);
  return parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}

/** The audit key outside production when AUDIT_KEY is unset: public, so it proves nothing (main.ts warns). */
export const DEVELOPMENT_AUDIT_KEY = 'careline-development-audit-key-not-secret';

/**
 * The data encryption key outside production when DATA_ENCRYPTION_KEY is unset (hex): public, so it
 * protects nothing (main.ts warns). The SHA-256 of "careline-development-data-key-not-secret".
 */
export const DEVELOPMENT_DATA_ENCRYPTION_KEY = '621422addd223a2fea0904f18eb3c07ebf73612ffded17950cbf3af5df780a09';

/**
 * The configuration: the values, plus what follows from them. Its type is this function's, so
 * it follows the schema: there is no second description of it to keep in step.
 */
export function completeConfig(values: ConfigValues) {
  const { practiceName, adminEmail, adminPassword, practiceTimeZone } = values.bootstrap;
  return {
    ...values,
    http: {
      ...values.http,
      // The issuer is compared as a string by clients: one spelling, without a trailing slash.
      publicUrl: values.http.publicUrl.replace(/\/+$/, ''),
    },
    accounts: {
      ...values.accounts,
      // Outside production (production requires it): tokens die with the process.
      jwtSecret: values.accounts.jwtSecret ?? randomBytes(32).toString('base64url'),
      /** True when JWT_SECRET was unset and jwtSecret generated for this process. */
      jwtSecretGenerated: values.accounts.jwtSecret === undefined,
    },
    audit: {
      ...values.audit,
      // Outside production (production requires it): a known key, so chains survive restarts, but forgeable.
      key: values.audit.key ?? DEVELOPMENT_AUDIT_KEY,
      /** True when AUDIT_KEY was unset and the public development key is used. */
      developmentKey: values.audit.key === undefined,
      checkpointFile: values.audit.checkpointFile ?? path.join(values.database.dataDir, 'audit-checkpoints.jsonl'),
    },
    encryption: {
      ...values.encryption,
      // Outside production (production requires it): a known key, so sealed values survive restarts, but readable by anyone.
      key: values.encryption.key ?? DEVELOPMENT_DATA_ENCRYPTION_KEY,
      /** True when DATA_ENCRYPTION_KEY was unset and the public development key is used. */
      developmentKey: values.encryption.key === undefined,
      previousKeys: values.encryption.previousKeys ?? [],
    },
    push: {
      /** The VAPID keys and contact when push is on (all three set: CONFIG_RULES refuses fewer). */
      vapid:
        values.push.vapidPublicKey !== undefined && values.push.vapidPrivateKey !== undefined && values.push.vapidSubject !== undefined
          ? { publicKey: values.push.vapidPublicKey, privateKey: values.push.vapidPrivateKey, subject: values.push.vapidSubject }
          : undefined,
    },
    sms: {
      ...values.sms,
      /** Set when texts can be sent: the account, its token and a sender. */
      twilio:
        values.sms.accountSid !== undefined && values.sms.authToken !== undefined
          ? {
              accountSid: values.sms.accountSid,
              authToken: values.sms.authToken,
              from: values.sms.from,
              messagingServiceSid: values.sms.messagingServiceSid,
              apiBaseUrl: values.sms.apiBaseUrl.replace(/\/+$/, ''),
            }
          : undefined,
    },
    mail: {
      ...values.mail,
      /** Where messages are written as .eml files when SMTP_URL is unset. */
      dir: path.join(values.database.dataDir, 'mail'),
    },
    /** The first practice and its admin, when the three BOOTSTRAP_ variables are set. */
    bootstrap:
      practiceName !== undefined && adminEmail !== undefined && adminPassword !== undefined
        ? { practiceName, practiceTimeZone, adminEmail, adminPassword }
        : undefined,
  };
}

type Completed = ReturnType<typeof completeConfig>;
/** A group's fields, read-only and spelt out (editors and compiler errors show the fields, not the schema's types). */
type Frozen<T> = T extends object ? { readonly [K in keyof T]: T[K] } & {} : T;

/** Everything CareLine reads from its environment, by concern, frozen (`config.jobs.concurrency`). */
export type Config = { readonly [G in keyof Completed]: Frozen<Completed[G]> };

/** The first practice and its admin, from the BOOTSTRAP_ variables. */
export type BootstrapConfig = NonNullable<Config['bootstrap']>;

/** Every declared variable, in the reference's order. */
export function configVariables(): readonly Variable<unknown>[] {
  return Object.values(CONFIG_GROUPS).flatMap((declared): Variable<unknown>[] => Object.values(declared.variables));
}

/** The name of every variable CareLine reads today (renamed ones excluded). */
export function listConfigVariables(): readonly string[] {
  return configVariables().map((declared) => declared.name);
}
