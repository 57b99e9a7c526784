import type { Server } from 'node:http';
import { type GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from './authorization';
import { createContext, viewerFromToken } from './context';
import { createDocumentCache } from './document-cache';
import type { ErrorFormatter } from './format-error';
import type { Logger } from './logger';
import type { Services } from './services';
import { createSharedSubscribe, viewerRightsKey } from './subscription-fanout';
import { bearerToken, type TokenService } from './tokens';

/** What we keep per socket, beside graphql-ws's own `extra` (the socket and its upgrade request). */
type SocketState = {
  viewer?: Viewer;
  expiryTimer?: NodeJS.Timeout;
};

export interface SubscriptionServer {
  /** Closes every socket with 1001 (Going Away) so clients reconnect elsewhere, then stops listening. */
  dispose(): Promise<void>;
}

/**
 * GraphQL over WebSocket (graphql-transport-ws) on the HTTP server's `/graphql` path.
 * - A socket must present `connectionParams.authorization: "Bearer <token>"`; missing or invalid,
 *   it is closed with 4401 (Unauthorized) before any operation runs.
 * - When the token expires the socket is closed with 4401; the client signs in again and resumes
 *   with its last cursor.
 * - Which doctor a subscription may watch is decided by the services (FORBIDDEN per operation).
 */
export function attachSubscriptionServer(deps: {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  tokens: TokenService;
  formatError: ErrorFormatter;
  logger: Logger;
}): SubscriptionServer {
  const wsServer = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => deps.formatError(error.toJSON(), error));
  const documents = createDocumentCache();

  const cleanup = useServer<Record<string, unknown> | undefined, SocketState>(
    {
      schema: deps.schema,
      // Identical subscriptions share one parsed, validated document, and each event is executed
      // once for all sockets with the same document, variables and rights.
      parse: documents.parse,
      validate: documents.validate,
      subscribe: createSharedSubscribe(viewerRightsKey),
      onConnect: async (ctx) => {
        const viewer = await viewerFromToken(deps.tokens, bearerToken(ctx.connectionParams?.['authorization']));
        if (!viewer) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        ctx.extra.viewer = viewer;
        const msUntilExpiry = viewer.tokenExpiresAt * 1000 - Date.now();
        ctx.extra.expiryTimer = setTimeout(() => ctx.extra.socket.close(CloseCode.Unauthorized, 'Token expired'), msUntilExpiry);
        ctx.extra.expiryTimer.unref();
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiryTimer);
      },
      context: (ctx) => createContext(deps.services, ctx.extra.viewer),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wsServer,
  );

  wsServer.on('error', (error) => deps.logger.error({ err: error }, 'websocket server error'));
  return {
    dispose: async () => {
      await cleanup.dispose();
    },
  };
}
