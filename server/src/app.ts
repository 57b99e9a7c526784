import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from './core/config';
import { createContext, viewerFromToken, type AppContext } from './core/context';
import { openDatabase, type Database } from './core/database';
import { mountDebugRoutes } from './core/debug-routes';
import { createErrorFormatter } from './core/format-error';
import { httpErrorHandler } from './core/http-errors';
import { createLogger, type Logger } from './core/logger';
import { createPubSub, type AppPubSub } from './core/pubsub';
import { createServices, type Services } from './core/services';
import { attachSubscriptionServer } from './core/subscription-server';
import { bearerToken, TokenService } from './core/tokens';
import { seedDemoData, type DemoLogins } from './features/demo/demo.seed';
import { buildAppSchema } from './schema';

/** A running CareLine instance. */
export interface App {
  readonly httpServer: Server;
  /** e.g. http://127.0.0.1:4000 (the port actually bound, when PORT=0). */
  readonly url: string;
  readonly database: Database;
  readonly pubSub: AppPubSub;
  readonly services: Services;
  readonly logger: Logger;
  /** The demo accounts, when SEED_DEMO added or found them. */
  readonly demo: DemoLogins | undefined;
  /**
   * Graceful stop: no new connections, in-flight requests finish, sockets close with 1001, then
   * pub/sub and the database are closed. Safe to call twice.
   */
  dispose(): Promise<void>;
}

const READY_CHECK_TIMEOUT_MS = 2000;

/** Builds and starts the whole server on config.host:config.port. The one way tests start a server. */
export async function createApp(config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  const database = await openDatabase(config, logger);
  const pubSub = createPubSub(config, logger);
  try {
    const tokens = new TokenService(config);
    const services = createServices({ prisma: database.prisma, pubSub, tokens, logger });
    const demo = config.seedDemo ? await seedDemoData(services, database.prisma, logger) : undefined;
    const schema = await buildAppSchema({ pubSub });
    const formatError = createErrorFormatter(logger, config.nodeEnv === 'development');

    const expressApp = express();
    expressApp.disable('x-powered-by');
    const httpServer = createServer(expressApp);
    const subscriptions = attachSubscriptionServer({ httpServer, schema, services, tokens, formatError, logger });

    const apollo = new ApolloServer<AppContext>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: config.nodeEnv === 'development',
      stopOnTerminationSignals: false, // main.ts stops the whole app (pub/sub, database) on SIGINT/SIGTERM
      introspection: true, // the schema is public (schema.graphql is committed); the playground needs it
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        { serverWillStart: async () => ({ drainServer: () => subscriptions.dispose() }) },
        ApolloServerPluginLandingPageDisabled(),
      ],
    });
    await apollo.start();

    expressApp.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    expressApp.get('/readyz', async (_req, res) => {
      const checks = await Promise.all([check(database.ping()), check(pubSub.ping())]);
      const [databaseOk, pubSubOk] = checks;
      res.status(databaseOk && pubSubOk ? 200 : 503).json({
        status: databaseOk && pubSubOk ? 'ready' : 'unavailable',
        database: { kind: database.kind, ok: databaseOk },
        pubSub: { kind: pubSub.kind, ok: pubSubOk },
      });
    });
    if (config.debugEndpoints) mountDebugRoutes(expressApp, pubSub);
    expressApp.use(
      '/graphql',
      express.json({ limit: '1mb' }),
      expressMiddleware(apollo, {
        context: async ({ req }) => createContext(services, await viewerFromToken(tokens, bearerToken(req.headers.authorization))),
      }),
    );
    if (existsSync(path.join(config.clientDistDir, 'index.html'))) {
      expressApp.use(express.static(config.clientDistDir, { index: 'index.html', maxAge: '1h' }));
    }
    expressApp.use(httpErrorHandler(logger));

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let disposing: Promise<void> | undefined;
    const dispose = () =>
      (disposing ??= (async () => {
        await apollo.stop(); // drains HTTP and closes sockets with 1001
        await pubSub.close();
        await database.close();
      })());
    return { httpServer, url, database, pubSub, services, logger, demo, dispose };
  } catch (error) {
    await pubSub.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function check(probe: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
