import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Viewer } from '../accounts/authorization';
import type { RequestMeta } from '../accounts/request-meta';
import type { LiveSession } from '../accounts/sessions';
import type { RequestServices } from '../graphql/request-context';
import { SlowConsumerError } from '../live/event-streams';
import type { StreamMessage } from '../live/topics';
import type { Clock } from '../platform/clock';
import { isPublicError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import type { BindingTokens } from './binding-tokens';
import { notificationBundle } from './notifications';
import { operationOutcome, outcomeOf, type IssueCode } from './outcome';
import { openFollow, parseCriteria, type Follow } from './subscription-streams';
import { readOwnSubscription, type SubscriptionRecord } from './subscriptions.sql';

/**
 * Close codes of the Subscriptions' socket (the same numbers as /graphql's where they mean the same).
 * Medplum's client reconnects by itself after any of them and binds again.
 */
export const SubscriptionSocketCloseCode = {
  /** The instance is shutting down: reconnect (to another instance), bind again, and catch up with $events. */
  GoingAway: 1001,
  /** Slow consumer (too many bytes or events waiting): reconnect, bind, catch up with $events. */
  SlowConsumer: 1013,
  /** The session of a binding ended (revoked, expired, signed out): sign in again. */
  Unauthorized: 4401,
  /** Nothing was bound within BIND_TIMEOUT_MS of opening. */
  BindTimeout: 4408,
} as const;

/** How often every socket with a binding gets a heartbeat notification (Medplum's server: 10 s). */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A socket that has bound nothing this long after opening is closed (4408). */
export const BIND_TIMEOUT_MS = 30_000;
/** Subscriptions one socket may be bound to at once; one more is refused with `throttled`. */
export const MAX_BINDINGS_PER_SOCKET = 20;

/** What a client may send (Medplum's SubscriptionManager sends these three). */
const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('bind-with-token'), payload: z.object({ token: z.string().max(4096) }) }),
  z.object({ type: z.literal('unbind-from-token'), payload: z.object({ token: z.string().max(4096) }) }),
]);

/** The socket admission of /graphql's sockets (transport/socket-admission.ts), shared: origins, sockets per address before a bind. */
export interface SocketGate {
  verifyClient(info: { origin: string | undefined; req: IncomingMessage }): boolean;
  admit(socket: WebSocket, req: IncomingMessage): void;
  /** The socket proved who it is (here: its first bind). */
  authenticated(socket: WebSocket): void;
}

/** Sockets filed by session, closed with 4401 when the session ends (transport/session-sockets.ts). */
export interface SessionSocketRegistry {
  add(sessionId: string, socket: WebSocket, sessionExpiresAtMs: number): void;
  remove(sessionId: string, socket: WebSocket): void;
}

export interface SubscriptionSocketDeps {
  readonly services: RequestServices;
  readonly sql: Sql;
  readonly bindingTokens: BindingTokens;
  /** The live session with this id, or undefined (accounts/sessions.ts). */
  liveSession(sessionId: string): Promise<LiveSession | undefined>;
  readonly sessionSockets: SessionSocketRegistry;
  readonly gate: SocketGate;
  /** Where an upgrade request came from (TRUST_PROXY applied), for the audit rows. */
  metaOf(req: IncomingMessage): RequestMeta;
  /** WS_MAX_BUFFERED_BYTES: more than this waiting in a socket closes it as a slow consumer. */
  readonly maxBufferedBytes: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Default HEARTBEAT_INTERVAL_MS. */
  readonly heartbeatIntervalMs?: number;
}

/** One Subscription bound on one socket. */
interface Binding {
  readonly record: SubscriptionRecord;
  readonly sessionId: string;
  readonly messages: AsyncIterableIterator<StreamMessage>;
}

interface SocketState {
  readonly bindings: Map<string, Binding>;
  readonly base: string;
  readonly meta: RequestMeta;
  bindTimer: NodeJS.Timeout | undefined;
}

export interface SubscriptionSocketServer {
  /** Upgrades routed to SUBSCRIPTION_SOCKET_PATH go here (noServer: app.ts routes upgrades by path). */
  readonly wsServer: WebSocketServer;
  /** Closes every socket with 1001 and ends their streams. */
  dispose(): Promise<void>;
}

/**
 * The websocket binding of FHIR Subscriptions, as Medplum's client uses it: the client opens
 * /ws/subscriptions-r4 (no token on the socket itself), gets a token with
 * `$get-ws-binding-token` over HTTP, and sends `bind-with-token`; the server answers a handshake
 * notification, then one event-notification per event of the subscription's stream, numbered by
 * the stream's sequence, and a heartbeat every HEARTBEAT_INTERVAL_MS; `ping` gets `pong`.
 * A token that does not verify, a session that ended, a subscription that is not the user's or
 * criteria the user may no longer follow get an OperationOutcome on the socket, and nothing is
 * bound. Each event passes the GraphQL stream's per-event checks and its audit row is committed
 * before it is sent; a failed check ends that binding (with an OperationOutcome); the end of the
 * binding's session closes the socket with 4401.
 */
export function createSubscriptionSocketServer(deps: SubscriptionSocketDeps): SubscriptionSocketServer {
  const wsServer = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    verifyClient: (info, callback) => (deps.gate.verifyClient(info) ? callback(true) : callback(false, 403, 'Origin not allowed')),
  });
  const sockets = new Map<WebSocket, SocketState>();

  const send = (socket: WebSocket, body: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(body));
    if (socket.bufferedAmount > deps.maxBufferedBytes) {
      deps.logger.warn({ bufferedAmount: socket.bufferedAmount }, 'closing a slow FHIR subscription socket');
      socket.close(SubscriptionSocketCloseCode.SlowConsumer, 'Slow consumer: reconnect, bind, and catch up with $events');
    }
  };
  const refuse = (socket: WebSocket, code: IssueCode, diagnostics: string) => send(socket, operationOutcome(code, diagnostics));

  const unbind = (socket: WebSocket, state: SocketState, subscriptionId: string) => {
    const binding = state.bindings.get(subscriptionId);
    if (!binding) return;
    state.bindings.delete(subscriptionId);
    void binding.messages.return?.();
    if (![...state.bindings.values()].some((other) => other.sessionId === binding.sessionId)) {
      deps.sessionSockets.remove(binding.sessionId, socket);
    }
  };

  /** The viewer a binding token speaks for, when its session is still live and still its user's. */
  const viewerOf = async (token: string, meta: RequestMeta): Promise<{ viewer: Viewer; subscriptionId: string } | undefined> => {
    const claims = await deps.bindingTokens.verify(token);
    if (!claims) return undefined;
    const session = await deps.liveSession(claims.sessionId);
    if (!session || session.userId !== claims.userId) return undefined;
    const viewer: Viewer = {
      userId: claims.userId,
      role: claims.role,
      sessionId: session.id,
      sessionExpiresAt: Math.floor(session.expiresAt.getTime() / 1000),
      request: meta,
      secondFactorMissing: session.secondFactorMissing,
    };
    return { viewer, subscriptionId: claims.subscriptionId };
  };

  const bind = async (socket: WebSocket, state: SocketState, token: string) => {
    const bound = await viewerOf(token, state.meta);
    if (!bound) {
      refuse(
        socket,
        'login',
        'The binding token is not valid, has expired, or its session has ended: get a new one with $get-ws-binding-token.',
      );
      return;
    }
    const { viewer, subscriptionId } = bound;
    if (viewer.secondFactorMissing) {
      refuse(socket, 'forbidden', 'This account must set up a second factor first.');
      return;
    }
    const record = await readOwnSubscription(deps.sql, subscriptionId, viewer.userId);
    if (!record) {
      refuse(socket, 'not-found', `Subscription/${subscriptionId} is not known.`);
      return;
    }
    if (state.bindings.has(record.id)) {
      // Binding again (Medplum's client does after a reconnect of its own): the handshake again, nothing doubled.
      send(socket, handshake(state, record, undefined));
      return;
    }
    if (state.bindings.size >= MAX_BINDINGS_PER_SOCKET) {
      refuse(socket, 'throttled', `A socket may be bound to at most ${MAX_BINDINGS_PER_SOCKET} subscriptions.`);
      return;
    }
    let follow: Follow;
    try {
      follow = await openFollow(viewer, parseCriteria(record.criteria), deps.services);
    } catch (error) {
      const { outcome } = outcomeOf(error, 'bind');
      send(socket, outcome);
      return;
    }
    const { start, messages } = await deps.services.events.subscribeTopics({
      stream: follow.stream,
      topics: follow.topics,
      authorize: follow.authorize,
    });
    // The socket may have closed meanwhile: then nothing may stay subscribed.
    if (socket.readyState !== socket.OPEN || state.bindings.has(record.id)) {
      void messages.return?.();
      return;
    }
    const sessionFiled = [...state.bindings.values()].some((other) => other.sessionId === viewer.sessionId);
    state.bindings.set(record.id, { record, sessionId: viewer.sessionId, messages });
    if (!sessionFiled) deps.sessionSockets.add(viewer.sessionId, socket, viewer.sessionExpiresAt * 1000);
    deps.gate.authenticated(socket);
    clearTimeout(state.bindTimer);
    send(socket, handshake(state, record, start));
    void pump(socket, state, record, follow, messages);
  };

  const handshake = (state: SocketState, record: SubscriptionRecord, latest: number | undefined) =>
    notificationBundle({
      type: 'handshake',
      subscriptionIds: [record.id],
      latestEventNumber: latest,
      base: state.base,
      now: deps.clock(),
    });

  /** Sends the binding's events until it ends (unbind, close, a failed check, a slow consumer). */
  const pump = async (
    socket: WebSocket,
    state: SocketState,
    record: SubscriptionRecord,
    follow: Follow,
    messages: AsyncIterableIterator<StreamMessage>,
  ) => {
    try {
      for await (const message of messages) {
        // A Subscription deleted (on any instance) delivers nothing more.
        if (!(await readOwnSubscription(deps.sql, record.id, record.ownerId))) {
          refuse(socket, 'not-found', `Subscription/${record.id} was deleted.`);
          break;
        }
        const appointment = await follow.deliver(message);
        if (!appointment) continue;
        send(
          socket,
          notificationBundle({
            type: 'event-notification',
            subscriptionIds: [record.id],
            events: [{ eventNumber: message.seq, appointment }],
            content: record.content,
            latestEventNumber: message.seq,
            base: state.base,
            now: deps.clock(),
          }),
        );
      }
    } catch (error) {
      if (error instanceof SlowConsumerError) {
        socket.close(SubscriptionSocketCloseCode.SlowConsumer, 'Slow consumer: reconnect, bind, and catch up with $events');
      } else if (isPublicError(error)) {
        // The GraphQL stream's per-event check refused (the session expired, the right was lost): this binding ends.
        const { outcome } = outcomeOf(error, 'event');
        send(socket, outcome);
      } else {
        deps.logger.error({ err: error, subscriptionId: record.id }, 'a FHIR subscription binding failed');
        refuse(socket, 'exception', 'Delivery of this subscription stopped: bind again, and catch up with $events.');
      }
    } finally {
      if (state.bindings.get(record.id)?.messages === messages) unbind(socket, state, record.id);
    }
  };

  const onMessage = async (socket: WebSocket, state: SocketState, data: RawData) => {
    let parsed: z.infer<typeof ClientMessage>;
    try {
      parsed = ClientMessage.parse(JSON.parse(rawText(data)));
    } catch {
      refuse(socket, 'structure', 'Send {"type":"ping"}, or bind-with-token / unbind-from-token with {"payload":{"token":...}}.');
      return;
    }
    if (parsed.type === 'ping') {
      send(socket, { type: 'pong' });
      return;
    }
    if (parsed.type === 'bind-with-token') {
      await bind(socket, state, parsed.payload.token);
      return;
    }
    const claims = await deps.bindingTokens.verify(parsed.payload.token);
    if (claims) unbind(socket, state, claims.subscriptionId);
  };

  wsServer.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    deps.gate.admit(socket, req);
    const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    const state: SocketState = {
      bindings: new Map(),
      base: `${proto}://${req.headers.host ?? 'localhost'}/fhir/R4`,
      meta: deps.metaOf(req),
      bindTimer: setTimeout(() => {
        if (state.bindings.size === 0) socket.close(SubscriptionSocketCloseCode.BindTimeout, 'Nothing was bound');
      }, BIND_TIMEOUT_MS),
    };
    state.bindTimer?.unref();
    sockets.set(socket, state);
    socket.on('message', (data) => {
      onMessage(socket, state, data).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'a FHIR subscription socket message failed');
        refuse(socket, 'exception', 'That message could not be handled.');
      });
    });
    socket.on('close', () => {
      clearTimeout(state.bindTimer);
      sockets.delete(socket);
      for (const id of [...state.bindings.keys()]) unbind(socket, state, id);
    });
    socket.on('error', (error) => deps.logger.debug({ err: error }, 'FHIR subscription socket error'));
  });

  const heartbeat = setInterval(() => {
    const now = deps.clock();
    for (const [socket, state] of sockets) {
      if (state.bindings.size === 0) continue;
      send(socket, notificationBundle({ type: 'heartbeat', subscriptionIds: [...state.bindings.keys()], base: state.base, now }));
    }
  }, deps.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  return {
    wsServer,
    dispose: async () => {
      clearInterval(heartbeat);
      for (const socket of sockets.keys()) socket.close(SubscriptionSocketCloseCode.GoingAway, 'Server shutting down');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
