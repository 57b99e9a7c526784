import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { AppContext } from '../context';

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
 * - the same document text, operation name and variables;
 * - the same rights, given by `rightsKey(contextValue)` (e.g. role and user id): field resolvers
 *   may depend on who asks, so subscribers with different rights never share a result.
 * The shared result must not be mutated by its consumers (graphql-ws only serialises it).
 */
/**
 * When the event behind a result was committed (epoch ms), for the delivery-latency histogram;
 * only live events carry it (a replayed one was committed long ago).
 */
export const committedAtOf = new WeakMap<object, number>();

export function createSharedSubscribe(rightsKey: (contextValue: unknown) => string) {
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  const executeShared = (args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return Promise.resolve(execute({ ...args, rootValue: payload }));
    let byKey = results.get(payload);
    if (!byKey) results.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) {
      const committedAtMs = (payload as { committedAtMs?: unknown }).committedAtMs;
      result = Promise.resolve(execute({ ...args, rootValue: payload })).then((executed) => {
        if (typeof committedAtMs === 'number') committedAtOf.set(executed, committedAtMs);
        return executed;
      });
      byKey.set(key, result);
    }
    return result;
  };

  return async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source; // errors (e.g. FORBIDDEN) from the subscribe resolver
    const key = JSON.stringify([
      args.document.loc?.source.body ?? args.document,
      args.operationName ?? null,
      args.variableValues ?? null,
      rightsKey(args.contextValue),
    ]);
    return mapEvents(source, (payload) => executeShared(args, key, payload));
  };
}

/** Rights for sharing: a viewer's role and id (every decision in authorization.ts depends on those only). */
export function viewerRightsKey(contextValue: unknown): string {
  const viewer = (contextValue as AppContext | undefined)?.viewer;
  return viewer ? `${viewer.role}:${viewer.userId}` : 'anonymous';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Maps each event of `source` to a result. Written as a plain iterator, not an async generator: a
 * generator's return() waits until its pending `await` settles, so a socket that unsubscribes
 * between events would keep its pub/sub subscription until the next event; here return() ends
 * the source at once.
 */
function mapEvents(source: AsyncIterable<unknown>, map: (payload: unknown) => Promise<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const event = await iterator.next();
      return event.done ? done() : { value: await map(event.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return done();
    },
    async throw(error?: unknown) {
      await iterator.return?.();
      throw error instanceof Error ? error : new Error(String(error));
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
