/**
 * The async iterators every live stream is made of. They are objects rather than async
 * generators because of how they end: graphql-ws calls return() on an operation cancelled
 * before its first event, or while it waits for one, and what the stream holds (a pub/sub
 * subscription, a database reader) must be let go at once. A generator that was never pulled
 * does not run its `finally` on return(), and one waiting at an `await` answers return() only
 * once that await settles (the next event, which may never come).
 *
 * The rules, the same for every stream:
 * - return() and throw() release at once, pulled or not, and at most once; after them, and
 *   after the stream ran out, next() answers done without pulling again (a pull still waiting
 *   then also answers done);
 * - an error from a pull is passed on to the consumer, after releasing (the stream is over: a
 *   consumer's `for await` does not call return() when next() throws);
 * - throw(error) releases and rejects with `error`.
 */
export abstract class PullIterator<T> implements AsyncIterableIterator<T> {
  private open = true;
  private releasing: Promise<void> | undefined;

  /** The next value, or done when the stream has run out (then nothing is released). */
  protected abstract pull(): Promise<IteratorResult<T>>;

  /** Lets go of what the stream holds (its source, a subscription). Runs at most once. */
  protected abstract release(): unknown;

  next(): Promise<IteratorResult<T>> {
    if (!this.open) return Promise.resolve(done());
    return this.pull().then(
      (result) => {
        if (!this.open) return done();
        if (result.done) this.open = false;
        return result;
      },
      async (error: unknown) => {
        if (!this.open) return done();
        await this.finish();
        throw error;
      },
    );
  }

  async return(): Promise<IteratorResult<T>> {
    await this.finish();
    return done();
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Ends the stream; releases it unless it had run out by itself. The same promise every time. */
  private finish(): Promise<void> {
    if (!this.releasing) {
      this.releasing = this.open ? this.releaseNow() : Promise.resolve();
      this.open = false;
    }
    return this.releasing;
  }

  private async releaseNow(): Promise<void> {
    await this.release();
  }
}

/** An iterator from its pull and its release, with the rules above. */
export function iteratorFrom<T>(stream: { next(): Promise<IteratorResult<T>>; release(): unknown }): AsyncIterableIterator<T> {
  return new (class extends PullIterator<T> {
    protected pull() {
      return stream.next();
    }
    protected release() {
      return stream.release();
    }
  })();
}

/** What a mapIterator step returns to drop a value instead of passing it on. */
export const SKIP: unique symbol = Symbol('skip');

export interface MapHooks {
  /** The source ran out: throw to end with that error instead of done. */
  onDone?(): void;
  /** The source's next() failed: return to end quietly (done), or throw to fail with an error. */
  onError?(error: unknown): void;
}

/**
 * Each value of `source` through `step`, in order, one at a time: what `step` returns is passed
 * on (SKIP drops it and pulls the next one). Ending the result (return(), throw(), a failed step)
 * returns the source, with the rules of PullIterator.
 */
export function mapIterator<S, T>(
  source: AsyncIterator<S>,
  step: (value: S) => T | typeof SKIP | Promise<T | typeof SKIP>,
  hooks: MapHooks = {},
): AsyncIterableIterator<T> {
  return iteratorFrom<T>({
    async next() {
      for (;;) {
        let pulled: IteratorResult<S>;
        try {
          pulled = await source.next();
        } catch (error) {
          if (!hooks.onError) throw error;
          hooks.onError(error);
          return done();
        }
        if (pulled.done) {
          hooks.onDone?.();
          return done();
        }
        const value = await step(pulled.value);
        if (value !== SKIP) return { value, done: false };
      }
    },
    release: () => source.return?.(),
  });
}

function done(): IteratorReturnResult<undefined> {
  return { value: undefined, done: true };
}
