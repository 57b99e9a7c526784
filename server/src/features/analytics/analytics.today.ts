import { iteratorFrom } from '../../live/async-iterators';

/**
 * A board that follows a stream of changes: the current board at once, then a fresh one after
 * every change (changes that arrive while a board is being computed are folded into the next one,
 * so a burst costs one recompute, and the board never lags the last change it was woken by).
 * `changes` are the stream's iterators (their values are only signals); `beforeEach` runs before
 * every recompute after the first and may throw (FORBIDDEN: the subscriber left) to end it.
 * `compute` gets the `mark()` of the last change it answers (of the subscription, for the first
 * board), so boards can be shared by the subscribers one change woke (SharedBoards). An
 * error of a change stream ends the board with that error; return() lets go of every stream at
 * once (async-iterators.ts says why this is not a generator).
 */
export function boardFollowing<B>(
  changes: ReadonlyArray<AsyncIterableIterator<unknown>>,
  compute: (wokenAt: number) => Promise<B>,
  beforeEach: () => Promise<unknown>,
  mark: () => number = () => 0,
): AsyncIterableIterator<B> {
  let first = true;
  let changed = false;
  let wokenAt = mark();
  let running = changes.length;
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  for (const stream of changes) {
    void (async () => {
      try {
        for await (const _change of stream) {
          changed = true;
          wokenAt = mark();
          signal();
        }
      } catch (error) {
        failure ??= { error };
      } finally {
        running -= 1;
        signal();
      }
    })();
  }
  return iteratorFrom<B>({
    async next() {
      if (first) {
        first = false;
        return { done: false, value: await compute(wokenAt) };
      }
      while (!changed && !failure && running > 0) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure.error;
      if (!changed) return { done: true, value: undefined };
      changed = false;
      const answering = wokenAt;
      await beforeEach();
      return { done: false, value: await compute(answering) };
    },
    async release() {
      await Promise.all(changes.map(async (stream) => stream.return?.()));
      signal();
    },
  });
}
