import { execute, getOperationAST, type GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../accounts/authorization';
import type { RequestMeta } from '../accounts/request-meta';
import type { SessionService } from '../accounts/sessions';
import { bearerToken, type TokenService } from '../accounts/tokens';
import { viewerFromToken, type AppTokens } from '../accounts/viewer';
import { mfaGateRefusal } from './mfa-gate';
import { scopeGateRefusal } from './scope-gate';
import type { RequestContext } from '../graphql/request-context';
import { nowMs } from '../live/commit-times';
import type { TrustFunction } from '../platform/client-address';
import type { Config } from '../platform/config';
import { isPublicError, rateLimited } from '../platform/errors';
import { longLivedUuid } from '../platform/ids';
import type { Logger } from '../platform/logger';
import type { Metrics } from '../platform/metrics';
import type { RateLimits } from '../platform/rate-limits';
import { requestScope } from '../platform/request-scope';
import { ACCOUNT_BUSY_MESSAGE, type AccountConcurrency } from './account-concurrency';
import { BUSY_MESSAGE, RETRY_AFTER_SECONDS, type Admission } from './admission';
import { createDocumentCache } from './document-cache';
import type { ErrorFormatter } from './format-error';
import type { OperationLimits } from './operation-limits';
import type { OperationRateLimits } from './operation-rate-limits';
import { requestMetaOf } from './http-request-meta';
import type { Clock } from '../platform/clock';
import type { SocketPresence } from '../live/socket-presence';
import { SessionSockets } from './session-sockets';
import { SocketHeartbeat } from './socket-heartbeat';
import type { SocketAdmission } from './socket-admission';
import { commitTimeOfResult, createSharedSubscribe } from './subscription-fanout';

/**
 * Every code a CareLine socket closes with, beside graphql-ws's protocol errors. Clients
 * (graphql-ws's createClient) reconnect by themselves after 1001 and 1013 and then resume with
 * their last cursor; after 4401 they sign in again first; 4429 is not retried.
 */
export const SocketCloseCode = {
  /** The instance is shutting down (SIGTERM): reconnect, to another instance, and resume. */
  GoingAway: 1001,
  /**
   * Slow consumer: more than WS_MAX_BUFFERED_BYTES waited in the socket, or more than
   * SUBSCRIPTION_MAX_QUEUED_EVENTS events waited for it. Reconnect and resume from the cursor.
   */
  SlowConsumer: 1013,
  /** Missing, invalid or expired token, or its session revoked or expired: sign in again, then resume. */
  Unauthorized: CloseCode.Unauthorized,
  /**
   * This user already holds WS_MAX_SOCKETS_PER_USER sockets on this instance, or the address
   * holds WS_MAX_UNAUTHENTICATED_PER_ADDRESS sockets that have not signed in.
   */
  TooManySockets: 4429,
} as const;

/** The limits a socket lives under (docs/configuration.md documents each). */
export type SocketLimits = Pick<
  Config['sockets'],
  'maxBufferedBytes' | 'maxSubscriptionsPerSocket' | 'maxSocketsPerUser' | 'documentCacheBytes'
>;

/** What we keep per socket, beside graphql-ws's own `extra` (the socket; its upgrade request is let go once read). */
type SocketState = {
  viewer?: Viewer;
  /** Where the socket came from (its upgrade request), for audit rows. */
  origin?: RequestMeta;
  /** Set once the socket counts towards its user's WS_MAX_SOCKETS_PER_USER. */
  countedFor?: string;
  /** Key of this socket's operations-per-second budget, and its id in the logs. */
  socketId?: string;
  /** Root field of each running operation, for the active-subscriptions gauge. */
  fields?: Map<string, string>;
};

export interface SubscriptionServer {
  /** The graphql-ws socket server: upgrades to /graphql are handed to it (upgrade-routes.ts). */
  readonly wsServer: WebSocketServer;
  /** Closes every socket with 1001 (Going Away) so clients reconnect elsewhere, then stops listening. */
  dispose(): Promise<void>;
  /** Sockets of this session open on this instance. */
  socketsOfSession(sessionId: string): number;
}

/**
 * GraphQL over WebSocket (graphql-transport-ws) for the HTTP server's `/graphql` path (upgrade-routes.ts routes it).
 * - A socket must present `connectionParams.authorization: "Bearer <token>"`; missing or invalid,
 *   it is closed with 4401 (Unauthorized) before any operation runs.
 * - A socket lives as long as its session, not its first token (session-sockets.ts): it is closed
 *   with 4401 when the session is revoked (on any instance, within a second) or expires; the client
 *   signs in again and resumes with its last cursor.
 * - Which doctor a subscription may watch is decided by the services (FORBIDDEN per operation).
 * - Slow consumers are cut off (1013) so a stuck client cannot grow server memory; limits on
 *   sockets per user (4429) and operations per socket (RATE_LIMITED). See SocketCloseCode.
 * - Other sites' pages and floods of sockets that never sign in are refused (socket-admission.ts).
 * - Every operation meets the operation limits before it runs (size, tokens, validation with the
 *   limit rules, cost, rate limits). A query or mutation then passes the same admission as HTTP
 *   requests (HTTP_MAX_IN_FLIGHT, HTTP_MAX_QUEUED, HTTP_QUEUE_TIMEOUT) and its account's cap
 *   (ACCOUNT_MAX_CONCURRENT_OPERATIONS); refused, it gets RATE_LIMITED with retryAfterSeconds. A refused or broken document gets an `error` message for that
 *   operation only: the socket and its other operations go on. Only validated documents are cached.
 */
export function attachSubscriptionServer(deps: {
  schema: GraphQLSchema;
  /** The execution context of one subscription, for this viewer, from this socket's upgrade request. */
  createContext(viewer: Viewer, request: RequestMeta): RequestContext;
  tokens: TokenService;
  sessions: SessionService;
  /** Told when a user's socket opens and closes: a user with none gets pushes instead (features/push). */
  presence: SocketPresence;
  /** Third-party apps' access tokens (their viewers carry the app's scopes: scope-gate.ts). */
  appTokens?: AppTokens;
  /** TRUST_PROXY: whose X-Forwarded-For names the client of an upgrade request. */
  trustProxy: TrustFunction;
  formatError: ErrorFormatter;
  logger: Logger;
  limits: SocketLimits;
  operationLimits: OperationLimits;
  /** The socketOperations budget of each socket. */
  rateLimits: RateLimits;
  /** The rate limits of the operations' root fields. */
  operationRateLimits: OperationRateLimits;
  admission: SocketAdmission;
  /** HTTP_MAX_IN_FLIGHT's admission: the socket's queries and mutations take places there too. */
  operationAdmission: Admission;
  /** ACCOUNT_MAX_CONCURRENT_OPERATIONS, counted across both transports. */
  accountConcurrency: AccountConcurrency;
  metrics: Metrics;
  /** DEBUG_ENDPOINTS: add `extensions.committedAtMs` to live results (subscription-fanout.ts). */
  exposeCommitTimes: boolean;
  /** When sessions expire (their sockets are closed then). */
  clock: Clock;
}): SubscriptionServer {
  const { limits, operationLimits, metrics } = deps;
  const socketsPerUser = new Map<string, number>();
  const sessionSockets = new SessionSockets(deps.sessions, deps.logger, deps.clock, deps.appTokens);
  const closeSlowConsumer = (socket: WebSocket) => {
    if (socket.readyState !== socket.OPEN) return;
    deps.logger.warn({ bufferedAmount: socket.bufferedAmount }, 'closing a slow consumer');
    metrics.eventsDropped.inc({ reason: 'slow_consumer' });
    socket.close(SocketCloseCode.SlowConsumer, 'Slow consumer: reconnect and resume from your last cursor');
  };
  const wsServer = new WebSocketServer({
    // Upgrades reach it through the path router (upgrade-routes.ts): /graphql.
    noServer: true,
    maxPayload: 1024 * 1024,
    verifyClient: (info, callback) => (deps.admission.verifyClient(info) ? callback(true) : callback(false, 403, 'Origin not allowed')),
  });
  // Formatted inside the operation's scope, so an unexpected error's log line names the socket and operation.
  const format = (errors: readonly GraphQLError[], state?: SocketState, id?: string) =>
    requestScope.run({ requestId: `${state?.socketId ?? 'socket'}/${id ?? '-'}` }, () =>
      errors.map((error) => deps.formatError(error.toJSON(), error)),
    );
  const documents = createDocumentCache({
    maxBytes: limits.documentCacheBytes,
    parseOptions: operationLimits.parseOptions,
    validationRules: operationLimits.validationRules,
  });
  // Each subscription's context, to the socket it runs on and who holds it: the fan-out asks
  // which socket to close as a slow consumer, and which rights a result was computed with.
  const contexts = new WeakMap<object, { socket: WebSocket; viewer: Viewer }>();
  const contextEntry = (contextValue: unknown) =>
    typeof contextValue === 'object' && contextValue !== null ? contexts.get(contextValue) : undefined;
  // A query's or mutation's places (admission, the account's cap), given back when it has run.
  const places = new WeakMap<object, () => void>();
  const releasePlaces = (contextValue: unknown) => {
    if (typeof contextValue !== 'object' || contextValue === null) return;
    places.get(contextValue)?.();
    places.delete(contextValue);
  };
  // A socket opened before its account enrolled in MFA (MFA_REQUIRED_ROLES): once its session
  // says the second factor is there, the socket's viewer passes the gate without reconnecting.
  const readSecondFactorAgain = async (state: SocketState) => {
    const { viewer } = state;
    if (!viewer?.secondFactorMissing) return;
    const session = await deps.sessions.live(viewer.sessionId);
    if (session && !session.secondFactorMissing) state.viewer = { ...viewer, secondFactorMissing: false };
  };
  const refuse = (socketId: string | undefined, errors: readonly GraphQLError[]) => {
    metrics.operationRefusals.inc({ transport: 'websocket' });
    // The code only: messages quote the document's literals, which may be a password or a vital sign.
    deps.logger.debug({ socketId, code: errors[0]?.extensions['code'], errors: errors.length }, 'refused a socket operation');
    return errors;
  };

  const cleanup = useServer<Record<string, unknown> | undefined, SocketState>(
    {
      schema: deps.schema,
      // Each event is executed once for all sockets with the same document, variables and rights;
      // identical subscriptions share one validated document (onSubscribe prepares it).
      subscribe: createSharedSubscribe({
        // Every authorization decision depends on the viewer's role and id, and on the app it
        // acts through and that app's scopes (whose deliveries are audited naming the app).
        rightsKey: (contextValue) => {
          const viewer = contextEntry(contextValue)?.viewer;
          if (!viewer) return 'anonymous';
          const app = viewer.app ? `:${viewer.app.id}:${[...viewer.app.scopes].sort().join(' ')}` : '';
          return `${viewer.role}:${viewer.userId}${app}`;
        },
        onSlowConsumer: (contextValue) => {
          const socket = contextEntry(contextValue)?.socket;
          if (socket) closeSlowConsumer(socket);
        },
        exposeCommitTimes: deps.exposeCommitTimes,
      }),
      // Queries and mutations (subscriptions go through `subscribe`): their places are released
      // when the execution has ended, answered or thrown.
      execute: async (args) => {
        try {
          return await execute(args);
        } finally {
          releasePlaces(args.contextValue);
        }
      },
      onConnect: async (ctx) => {
        const origin = requestMetaOf(ctx.extra.request, deps.trustProxy);
        // graphql-ws keeps the upgrade request (its headers) for the socket's life; what the
        // socket needs of it is in `origin` now, and idle sockets are many (bench/README.md,
        // "Where an idle socket's heap goes"). Nothing reads it after this.
        Reflect.set(ctx.extra, 'request', undefined);
        const token = bearerToken(ctx.connectionParams?.['authorization']);
        // Nor is the token kept for the socket's life (graphql-ws would keep connectionParams):
        // the viewer carries what the socket needs from it.
        Reflect.set(ctx, 'connectionParams', undefined);
        const viewer = await viewerFromToken(deps, token, origin);
        if (!viewer) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        // The socket may have closed while the token was being verified: then onClose has run
        // already, and counting it now would never be undone.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        deps.admission.authenticated(ctx.extra.socket);
        const sockets = socketsPerUser.get(viewer.userId) ?? 0;
        if (sockets >= limits.maxSocketsPerUser) {
          ctx.extra.socket.close(SocketCloseCode.TooManySockets, 'Too many sockets for this user');
          return false;
        }
        socketsPerUser.set(viewer.userId, sockets + 1);
        // The user's own dashboard, not a third-party app's socket: only then are they "looking".
        if (!viewer.app) deps.presence.opened(viewer.userId);
        ctx.extra.countedFor = viewer.userId;
        ctx.extra.viewer = viewer;
        ctx.extra.origin = origin;
        sessionSockets.add(viewer.sessionId, ctx.extra.socket, viewer.sessionExpiresAt * 1000, viewer.app?.token);
        // A revocation that arrived while the token was checked found no socket to close; it did
        // drop the cached answer, so asking again reads the database only in that case.
        if (!(await deps.sessions.live(viewer.sessionId))) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Session revoked');
          return false;
        }
        // Likewise for an app's token revoked meanwhile (its announcement found no socket yet).
        const appToken = viewer.app?.token;
        if (appToken && deps.appTokens && (await deps.appTokens.revokedAmong([appToken.key])).length > 0) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Token revoked');
          return false;
        }
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.viewer) sessionSockets.remove(ctx.extra.viewer.sessionId, ctx.extra.socket, ctx.extra.viewer.app?.token?.key);
        for (const id of [...(ctx.extra.fields?.keys() ?? [])]) endOperation(ctx.extra, id);
        const userId = ctx.extra.countedFor;
        if (userId === undefined) return;
        ctx.extra.countedFor = undefined;
        if (!ctx.extra.viewer?.app) deps.presence.closed(userId);
        const left = (socketsPerUser.get(userId) ?? 1) - 1;
        if (left > 0) socketsPerUser.set(userId, left);
        else socketsPerUser.delete(userId);
      },
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws registers the operation before this hook runs: it counts itself.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [rateLimited(`A socket may run at most ${limits.maxSubscriptionsPerSocket} operations at once.`)];
        }
        await readSecondFactorAgain(ctx.extra);
        // onConnect refused every socket without a viewer, so none reaches an operation.
        const { viewer, origin } = ctx.extra;
        if (!viewer || !origin) throw new Error('operation on a socket without a viewer');
        // An operation the user's client sent: activity that keeps the session from idling out.
        deps.sessions.recordActivity(viewer.sessionId);
        const socketId = (ctx.extra.socketId ??= longLivedUuid());
        const clientAddress = deps.admission.addressOf(ctx.extra.socket) ?? 'unknown';
        try {
          await deps.rateLimits.consume('socketOperations', socketId);
          const tooLarge = operationLimits.checkSize(payload.query);
          if (tooLarge) return refuse(socketId, [tooLarge]);
          const prepared = documents.prepare(deps.schema, payload.query);
          if ('errors' in prepared) return refuse(socketId, prepared.errors);
          const gated = mfaGateRefusal(viewer, prepared.document, payload.operationName);
          if (gated) return refuse(socketId, [gated]);
          const outOfScope = scopeGateRefusal(viewer, deps.schema, prepared.document, payload.operationName);
          if (outOfScope) return refuse(socketId, [outOfScope]);
          const variables = payload.variables ?? undefined;
          const tooCostly =
            operationLimits.checkVariables(variables) ??
            operationLimits.checkCost(deps.schema, prepared.document, variables, payload.operationName);
          if (tooCostly) return refuse(socketId, [tooCostly]);
          await deps.operationRateLimits.charge(prepared.document, payload.operationName, { userId: viewer.userId, clientAddress });
          const operation = getOperationAST(prepared.document, payload.operationName);
          if (operation?.operation === 'subscription') {
            const field = operation.selectionSet.selections.find((selection) => selection.kind === 'Field');
            const name = field?.kind === 'Field' ? field.name.value : 'unknown';
            (ctx.extra.fields ??= new Map()).set(id, name);
            metrics.activeSubscriptions.inc({ field: name });
          }
          const contextValue = deps.createContext(viewer, origin);
          contexts.set(contextValue, { socket: ctx.extra.socket, viewer });
          if (operation && operation.operation !== 'subscription') {
            // Last, after every check that could refuse it: from here on, execute releases them.
            const release = await takePlaces(viewer.userId);
            if (typeof release === 'string') return refuse(socketId, [rateLimited(release, RETRY_AFTER_SECONDS)]);
            places.set(contextValue, release);
          }
          const args = {
            schema: deps.schema,
            document: prepared.document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue,
          };
          // graphql-ws keeps the parsed message for the operation's life, and with it a copy of
          // the query text per socket; the operation runs the cached document, and nothing reads
          // the text after this (bench/README.md, "Where an idle socket's heap goes").
          Reflect.set(payload, 'query', '');
          return args;
        } catch (error) {
          if (isPublicError(error)) return refuse(socketId, [error]);
          throw error;
        }
      },
      onComplete: (ctx, id) => endOperation(ctx.extra, id),
      onNext: (ctx, id, _payload, _args, result) => {
        // Checked before each message: what the kernel would not take piles up in ws's buffer.
        if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) closeSlowConsumer(ctx.extra.socket);
        metrics.eventsDelivered.inc();
        const committedAtMs = commitTimeOfResult(result);
        if (committedAtMs !== undefined) metrics.deliveryLatency.observe(Math.max(0, nowMs() - committedAtMs) / 1000);
        return result.errors ? { ...result, errors: format(result.errors, ctx.extra, id) } : undefined;
      },
      onError: (ctx, id, _payload, errors) => {
        endOperation(ctx.extra, id);
        return format(errors, ctx.extra, id);
      },
    },
    wsServer,
    // Off: one SocketHeartbeat for the whole server pings the sockets instead of a timer each.
    0,
  );
  const heartbeat = new SocketHeartbeat(wsServer);

  /** The account's place, then one in admission; or the refusal's message. */
  const takePlaces = async (userId: string): Promise<(() => void) | string> => {
    const releaseAccount = deps.accountConcurrency.tryAcquire(userId);
    if (!releaseAccount) return ACCOUNT_BUSY_MESSAGE;
    const releaseAdmission = await deps.operationAdmission.acquire();
    if (!releaseAdmission) {
      releaseAccount();
      return BUSY_MESSAGE;
    }
    return () => {
      releaseAdmission();
      releaseAccount();
    };
  };

  const endOperation = (state: SocketState, id: string) => {
    const field = state.fields?.get(id);
    if (field === undefined) return;
    state.fields?.delete(id);
    metrics.activeSubscriptions.dec({ field });
  };
  wsServer.on('connection', (socket, request) => {
    metrics.openSockets.inc();
    // `on`, not `once`: 'close' comes once, and `once` adds a wrapper and a bound function per socket.
    socket.on('close', () => metrics.openSockets.dec());
    deps.admission.admit(socket, request);
  });
  wsServer.on('error', (error) => deps.logger.error({ err: error }, 'websocket server error'));
  return {
    wsServer,
    dispose: async () => {
      heartbeat.stop();
      sessionSockets.dispose();
      await cleanup.dispose();
    },
    socketsOfSession: (sessionId) => sessionSockets.count(sessionId),
  };
}
