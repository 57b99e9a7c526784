import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { mapIterator } from '../live/async-iterators';
import { commitTimeOf } from '../live/commit-times';
import { SlowConsumerError } from '../live/event-streams';

export interface SharedSubscribeOptions {
  /** Who may share a result with whom: field resolvers may depend on who asks (e.g. role and user id). */
  rightsKey(contextValue: unknown): string;
  /** A subscription's stream gave up on a consumer that fell too far behind: close its socket (1013). */
  onSlowConsumer(contextValue: unknown): void;
  /**
   * Adds `extensions.committedAtMs` (when the event committed, by the server clock) to each live
   * result, for the benchmark's commit -> dashboard latency. Off unless DEBUG_ENDPOINTS=true: the
   * public schema carries no timing field, and clients never see it.
   */
  readonly exposeCommitTimes: boolean;
}

/**
 * graphql-js runs a subscription's selection once per subscriber per event: with a doctor's 20
 * wall screens, every booking was executed (and its scalars serialised) 20 times, the largest
 * cost on the fan-out path. This `subscribe` for graphql-ws executes once per event for all the
 * subscribers that asked the same thing with the same rights, and hands each of them the same
 * result; each socket then only adds its own envelope.
 *
 * What makes two executions "the same":
 * - the same event object: pub/sub hands one parsed payload to every local subscriber of a
 *   channel (memory and Redis alike), so results are cached per payload object in a WeakMap and
 *   disappear with it; replayed events are separate objects and are executed per subscriber;
 * - the same parsed document (identical operations share one: the socket server caches them),
 *   operation name and variables;
 * - the same rights, given by `rightsKey(contextValue)` (e.g. role and user id): field resolvers
 *   may depend on who asks, so subscribers with different rights never share a result.
 * The shared result must not be mutated by its consumers (graphql-ws only serialises it).
 */
/**
 * When the event behind a live result was committed (epoch ms), for the delivery-latency histogram
 * (subscription-server.ts); replayed events have none.
 */
const resultCommitTimes = new WeakMap<object, number>();

/** The commit time of the event a result was executed for, when it is a live one. */
export function commitTimeOfResult(result: object): number | undefined {
  return resultCommitTimes.get(result);
}

export function createSharedSubscribe(options: SharedSubscribeOptions) {
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  const executeOnce = async (args: ExecutionArgs, payload: unknown): Promise<ExecutionResult> => {
    const executed = await execute({ ...args, rootValue: payload });
    const committedAtMs = commitTimeOf(payload);
    if (committedAtMs === undefined) return executed;
    const result = options.exposeCommitTimes ? { ...executed, extensions: { ...executed.extensions, committedAtMs } } : executed;
    resultCommitTimes.set(result, committedAtMs);
    return result;
  };

  const executeShared = (args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return executeOnce(args, payload);
    let byKey = results.get(payload);
    if (!byKey) results.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) {
      result = executeOnce(args, payload);
      byKey.set(key, result);
    }
    return result;
  };

  return async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source; // errors (e.g. FORBIDDEN) from the subscribe resolver
    const key = JSON.stringify([
      documentId(args.document),
      args.operationName ?? null,
      args.variableValues ?? null,
      options.rightsKey(args.contextValue),
    ]);
    return mapEvents(
      source,
      (payload) => executeShared(args, key, payload),
      () => options.onSlowConsumer(args.contextValue),
    );
  };
}

/**
 * A number per parsed document. Identical operations share one parsed document (the socket
 * server's document cache), so this tells them apart as well as their text would, and each
 * subscription's key stays short: it lives as long as the subscription, and holding the whole
 * text made it a copy of the document per socket.
 */
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = ++lastDocumentId));
  return id;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Maps each event of `source` to a result. Returning it returns the source at once (mapIterator):
 * a socket that unsubscribes between events does not keep its pub/sub subscription until the
 * next event, as an async generator would. A SlowConsumerError from the source ends the
 * operation quietly after `onSlowConsumer` has closed the socket.
 */
function mapEvents(
  source: AsyncIterable<unknown>,
  map: (payload: unknown) => Promise<ExecutionResult>,
  onSlowConsumer: () => void,
): AsyncIterableIterator<ExecutionResult> {
  return mapIterator(source[Symbol.asyncIterator](), map, {
    onError: (error) => {
      if (!(error instanceof SlowConsumerError)) throw error;
      onSlowConsumer();
    },
  });
}
