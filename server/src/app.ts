// Must load before any type-graphql class is declared (type-graphql reads decorator metadata).
import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { bearerToken } from './accounts/tokens';
import { viewerFromToken } from './accounts/viewer';
import { startAuditCheckpoints } from './audit/audit-checkpoints';
import { startAuditRetention } from './audit/audit-retention';
import { resealWebhookSecrets } from './features/webhooks/webhook-secrets';
import { resealSecondFactorSecrets } from './accounts/second-factor';
import type { Background } from './background';
import { createContext } from './context';
import { createCore, type CoreOptions } from './core';
import { seedDemoData, type DemoLogins } from './features/demo/demo.seed';
import { bootstrapPractice } from './features/practices/practices.bootstrap';
import { createOAuth } from './features/apps/oauth-provider';
import type { RequestContext } from './graphql/request-context';
import type { OutboxDispatcher } from './live/outbox-dispatcher';
import type { AppPubSub } from './live/pubsub';
import { compileTrustProxy } from './platform/client-address';
import type { Config } from './platform/config';
import type { Database } from './platform/database';
import type { Logger } from './platform/logger';
import type { Metrics } from './platform/metrics';
import type { RateLimits } from './platform/rate-limits';
import { BindingTokens } from './fhir/binding-tokens';
import { fhirRoutes } from './fhir/fhir-routes';
import { createSubscriptionSocketServer } from './fhir/subscription-socket';
import { SUBSCRIPTION_SOCKET_PATH } from './fhir/subscriptions';
import { analyticsRoutes } from './features/analytics/analytics.routes';
import { smsRoutes } from './features/notifications/sms-routes';
import { buildAppSchema } from './graphql-schema';
import type { Services } from './services';
import type { Viewer } from './accounts/authorization';
import { AccountConcurrency, accountConcurrencyControl } from './transport/account-concurrency';
import { Admission, admissionControl } from './transport/admission';
import { operationGuardsPlugin } from './transport/apollo-guards';
import { mountDebugRoutes } from './transport/debug-routes';
import { mountDevMailRoutes } from './transport/dev-mail-routes';
import { createErrorFormatter } from './transport/format-error';
import { mountHealthRoutes } from './transport/health-routes';
import { httpErrorHandler } from './transport/http-errors';
import { requestMetaOf } from './transport/http-request-meta';
import { corsPolicy, querySizeLimit, requestIds, securityHeaders } from './transport/http-hardening';
import { mountMetricsRoute } from './transport/metrics-route';
import { createOperationLimits } from './transport/operation-limits';
import { createOperationRateLimits } from './transport/operation-rate-limits';
import { createSocketAdmission } from './transport/socket-admission';
import { SessionSockets } from './transport/session-sockets';
import { attachSubscriptionServer } from './transport/subscription-server';
import { routeUpgrades } from './transport/upgrade-routes';
import { mountPushRoutes } from './transport/push-routes';
import type { SocketPresence } from './live/socket-presence';
import { compressResponses, webRoutes } from './transport/web';

/** A running CareLine instance. */
export interface App {
  readonly httpServer: Server;
  /** e.g. http://127.0.0.1:4000 (the port actually bound, when PORT=0). */
  readonly url: string;
  readonly database: Database;
  readonly pubSub: AppPubSub;
  readonly services: Services;
  /** Publishes committed events (after commit and by sweep) and prunes old ones. */
  readonly dispatcher: OutboxDispatcher;
  readonly logger: Logger;
  /** The job worker and what it sends (mail, webhooks). */
  readonly background: Background;
  /** Which users have a socket open on some instance (tests wait on it). */
  readonly presence: SocketPresence;
  /** Sockets of a session open on this instance (tests wait on it). */
  socketsOfSession(sessionId: string): number;
  /** The demo accounts, when SEED_DEMO added or found them. */
  readonly demo: DemoLogins | undefined;
  /** What GET /metrics reports (tests read it directly too). */
  readonly metrics: Metrics;
  readonly rateLimits: RateLimits;
  /** ACCOUNT_MAX_CONCURRENT_OPERATIONS' counters (tests read how many were refused). */
  readonly accountConcurrency: AccountConcurrency;
  /** HTTP_MAX_IN_FLIGHT's admission, shared by the socket's queries and mutations. */
  readonly admission: Admission;
  /**
   * Graceful stop: no new connections, sockets close with 1001, in-flight requests finish (and
   * publish their events), then the outbox dispatcher stops and pub/sub and the database are
   * closed. Safe to call twice.
   */
  dispose(): Promise<void>;
}

/** What the composition may add to an instance besides its configuration (core.ts). */
export type AppOptions = CoreOptions;

/** Builds and starts the whole server on HOST:PORT. The one way tests start a server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const core = await createCore(config, options);
  const { clock, logger, metrics, database, pubSub, rateLimits, tokens, sessions, dispatcher, services, background } = core;
  try {
    // Secrets stored in plaintext (before sealing) or under a previous DATA_ENCRYPTION_KEY are
    // sealed under the current key: a rotation completes with a restart.
    await resealWebhookSecrets(database.sql, core.cipher, logger);
    await resealSecondFactorSecrets(database.sql, core.cipher, logger);
    if (config.bootstrap) await bootstrapPractice(services.practices, database.prisma, config.bootstrap, logger);
    const demo = config.operator.seedDemo ? await seedDemoData(services, database.prisma, logger, clock) : undefined;
    const schema = await buildAppSchema();
    const operationRateLimits = createOperationRateLimits(schema, rateLimits);
    const formatError = createErrorFormatter(logger, config.runtime.nodeEnv === 'development', {
      hideSuggestions: config.runtime.nodeEnv === 'production',
    });
    const operationLimits = createOperationLimits(config.graphql);
    const trust = compileTrustProxy(config.http.trustProxy);
    // Third-party apps' OpenID Connect provider (issue 27): its keys come from the database.
    const oauth = await createOAuth({
      publicUrl: config.http.publicUrl,
      trustProxy: config.http.trustProxy !== false,
      sql: database.sql,
      cipher: core.cipher,
      clock,
      logger,
      apps: services.apps,
      users: services.users,
      tokens,
      sessions,
      clientDistDir: config.http.clientDistDir,
      keyRotations: core.revocations.events,
    });

    const expressApp = express();
    expressApp.disable('x-powered-by');
    expressApp.set('trust proxy', trust); // req.ip and req.secure believe only TRUST_PROXY's hops
    const httpServer = createServer(expressApp);
    const socketAdmission = createSocketAdmission(config.sockets, trust, logger);
    // One admission and one per-account cap for both transports: a socket's queries and
    // mutations wait for (or are refused) the same places as HTTP requests.
    const admission = new Admission(config.http);
    const accountConcurrency = new AccountConcurrency(config.http.maxPerAccount);
    const subscriptions = attachSubscriptionServer({
      schema,
      createContext: (viewer, request) => createContext(services, viewer, request),
      tokens,
      sessions,
      presence: core.presence,
      appTokens: oauth.appTokens,
      trustProxy: trust,
      formatError,
      logger,
      limits: config.sockets,
      operationLimits,
      rateLimits,
      operationRateLimits,
      admission: socketAdmission,
      operationAdmission: admission,
      accountConcurrency,
      metrics,
      exposeCommitTimes: config.operator.debugEndpoints,
      clock,
    });

    // FHIR Subscriptions' websocket binding (server/src/fhir/subscription-socket.ts): the same
    // socket admission as /graphql, and its sockets closed with their sessions.
    const bindingTokens = new BindingTokens(config.accounts.jwtSecret, clock);
    const fhirSessionSockets = new SessionSockets(sessions, logger, clock);
    const fhirSockets = createSubscriptionSocketServer({
      services,
      sql: database.sql,
      bindingTokens,
      liveSession: (sessionId) => sessions.live(sessionId),
      sessionSockets: fhirSessionSockets,
      gate: socketAdmission,
      metaOf: (req) => requestMetaOf(req, trust),
      maxBufferedBytes: config.sockets.maxBufferedBytes,
      logger,
      clock,
    });
    routeUpgrades(
      httpServer,
      new Map([
        ['/graphql', subscriptions.wsServer],
        [SUBSCRIPTION_SOCKET_PATH, fhirSockets.wsServer],
      ]),
    );

    const apollo = new ApolloServer<RequestContext>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: config.runtime.nodeEnv === 'development',
      stopOnTerminationSignals: false, // main.ts stops the whole app (pub/sub, database) on SIGINT/SIGTERM
      // GRAPHQL_INTROSPECTION (off in production by default; the playground needs it).
      introspection: config.graphql.introspection,
      parseOptions: operationLimits.parseOptions,
      validationRules: [...operationLimits.validationRules],
      // csrfPrevention stays at Apollo's default (on): simple cross-site requests are refused.
      plugins: [
        operationGuardsPlugin({ limits: operationLimits, operationRateLimits, metrics, logger }),
        ApolloServerPluginDrainHttpServer({ httpServer }),
        {
          serverWillStart: async () => ({
            drainServer: async () => {
              fhirSessionSockets.dispose();
              await Promise.all([subscriptions.dispose(), fhirSockets.dispose()]);
            },
          }),
        },
        ApolloServerPluginLandingPageDisabled(),
      ],
    });
    await apollo.start();

    expressApp.use(requestIds());
    expressApp.use(securityHeaders());
    expressApp.use(compressResponses());
    mountHealthRoutes(expressApp, { database, pubSub, production: config.runtime.nodeEnv === 'production' });
    mountMetricsRoute(expressApp, { metrics, token: config.operator.metricsToken, database, pubSub, rateLimits });
    if (config.operator.debugEndpoints) mountDebugRoutes(expressApp, services.events);
    mountPushRoutes(expressApp, config.push.vapid?.publicKey);
    mountDevMailRoutes(expressApp, config.mail.dir, config.runtime.nodeEnv === 'development' && !config.mail.smtpUrl);
    // Before the web routes (their client-route fallback would answer /oauth/... pages).
    oauth.mount(expressApp, (req) => requestMetaOf(req, trust));
    // The token is verified once per request, before admission (the per-account cap needs the
    // account), and the GraphQL context reuses the answer.
    const viewers = new WeakMap<IncomingMessage, Promise<Viewer | undefined>>();
    const viewerOf = (req: IncomingMessage): Promise<Viewer | undefined> => {
      let viewer = viewers.get(req);
      if (!viewer) {
        viewer = viewerFromToken(
          { tokens, sessions, appTokens: oauth.appTokens },
          bearerToken(req.headers.authorization),
          requestMetaOf(req, trust),
        );
        viewers.set(req, viewer);
      }
      return viewer;
    };
    // The FHIR R4 facade (server/src/fhir): before the web routes, whose client-route fallback
    // would answer its GETs with the dashboard's HTML.
    expressApp.use(
      '/fhir/R4',
      fhirRoutes({
        services,
        viewerOf,
        logger,
        clock,
        rateLimits,
        admission,
        accountConcurrency,
        sql: database.sql,
        bindingTokens,
        oauth: oauth.uris,
      }),
    );
    // GET /analytics/export.csv (features/analytics): before the web routes too, for the same reason.
    expressApp.use('/analytics', analyticsRoutes({ analytics: services.analytics, viewerOf, logger, admission, accountConcurrency }));
    // Twilio's webhooks (texts' status and replies), only when texts are configured: 404 otherwise.
    if (config.sms.twilio) {
      const { authToken } = config.sms.twilio;
      expressApp.use(
        smsRoutes({
          sql: database.sql,
          lifecycle: services.appointmentLifecycle,
          authToken,
          publicUrl: config.http.publicUrl,
          clock,
          logger,
        }),
      );
    }
    // CORS before the web routes on /graphql: their router would answer a preflight OPTIONS itself.
    expressApp.use('/graphql', corsPolicy(config.http));
    // Dashboard, playground and client routes, passing API requests on. After the operator routes
    // (its client-route fallback would answer them), before Apollo (it serves the playground at
    // GET /graphql to browsers).
    expressApp.use(webRoutes({ clientDistDir: config.http.clientDistDir, playground: config.graphql.playground }));
    expressApp.use(
      '/graphql',
      accountConcurrencyControl(accountConcurrency, async (req) => (await viewerOf(req))?.userId),
      admissionControl(admission),
      express.json({ limit: '1mb' }),
      querySizeLimit(operationLimits),
      expressMiddleware(apollo, {
        context: async ({ req }) => createContext(services, await viewerOf(req), requestMetaOf(req, trust)),
      }),
    );
    expressApp.use(httpErrorHandler(logger));

    // Before listening: an unwritable AUDIT_CHECKPOINT_FILE stops the start.
    const checkpoints = await startAuditCheckpoints({
      sql: database.sql,
      key: config.audit.key,
      file: config.audit.checkpointFile,
      intervalMs: config.audit.checkpointIntervalMs,
      clock,
      logger,
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.http.port, config.http.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    dispatcher.start();
    core.positionCheck.start();
    background.start();
    const retention = startAuditRetention(database.sql, config.audit.retentionSeconds, logger, clock);
    const { port } = httpServer.address() as AddressInfo;
    const { host: bound } = config.http;
    const host = bound === '0.0.0.0' || bound === '::' ? 'localhost' : bound;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let disposing: Promise<void> | undefined;
    const dispose = () =>
      (disposing ??= (async () => {
        await apollo.stop(); // drains HTTP and closes sockets with 1001
        await dispatcher.stop(); // after the drain: in-flight bookings still publish their events
        await core.positionCheck.stop();
        await background.stop(); // sends in progress finish; what is left stays queued for the next instance
        await retention.stop();
        oauth.stop();
        await checkpoints.stop(); // last: the heads as this instance leaves them
        await core.close();
      })());
    const socketsOfSession = (sessionId: string) => subscriptions.socketsOfSession(sessionId);
    return {
      httpServer,
      url,
      database,
      pubSub,
      services,
      dispatcher,
      background,
      presence: core.presence,
      logger,
      demo,
      metrics,
      rateLimits,
      accountConcurrency,
      admission,
      socketsOfSession,
      dispose,
    };
  } catch (error) {
    await core.close().catch(() => undefined);
    throw error;
  }
}
