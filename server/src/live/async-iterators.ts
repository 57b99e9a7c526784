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
export function iteratorFrom<T>(stream: StreamParts<T>): AsyncIterableIterator<T> {
  return new StreamIterator(stream);
}

interface StreamParts<T> {
  next(): Promise<IteratorResult<T>>;
  release(): unknown;
}

// A named class rather than one made per call: every stream then shares one prototype and one
// shape, where a class per call gave each socket's iterators prototypes and hidden classes of
// their own (heap per socket, and call sites V8 could no longer specialise).
class StreamIterator<T> extends PullIterator<T> {
  constructor(private readonly stream: StreamParts<T>) {
    super();
  }

  protected pull(): Promise<IteratorResult<T>> {
    return this.stream.next();
  }

  protected release(): unknown {
    return this.stream.release();
  }
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
 *
 * Mapping a mapped iterator nobody has pulled or ended yet gives one iterator running both steps:
 * a live event passes every subscriber's topic filter, re-check and audit, and execution, and as
 * separate iterators those were three pulls, each with its promises, per event and socket. The
 * fused iterator behaves as the chain would, hooks included: an error is offered to the onError of
 * each later step in turn, and the end of the source to each onDone.
 */
export function mapIterator<S, T>(
  source: AsyncIterator<S>,
  step: (value: S) => T | typeof SKIP | Promise<T | typeof SKIP>,
  hooks: MapHooks = {},
): AsyncIterableIterator<T> {
  // The stage is stored untyped: each stage's output is the next one's input, which the chain of
  // mapIterator calls has already type-checked.
  const stage: Stage = { step: step as Stage['step'], hooks };
  const earlier = source instanceof MappedIterator ? source.takeOver() : undefined;
  return earlier ? new MappedIterator<T>(earlier.source, [...earlier.stages, stage]) : new MappedIterator<T>(source, [stage]);
}

interface Stage {
  step(value: unknown): unknown;
  readonly hooks: MapHooks;
}

class MappedIterator<T> extends PullIterator<T> {
  /** Pulled or ended: from then on it can no longer be fused into a later step. */
  private started = false;
  /** Fused into a later step, which now owns the source: this one answers done and releases nothing. */
  private taken = false;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly stages: readonly Stage[],
  ) {
    super();
  }

  /** The source and steps, for a later step to run them itself; undefined once this one was used. */
  takeOver(): { readonly source: AsyncIterator<unknown>; readonly stages: readonly Stage[] } | undefined {
    if (this.started || this.taken) return undefined;
    this.taken = true;
    return { source: this.source, stages: this.stages };
  }

  protected async pull(): Promise<IteratorResult<T>> {
    this.started = true;
    if (this.taken) return done();
    for (;;) {
      let pulled: IteratorResult<unknown>;
      try {
        pulled = await this.source.next();
      } catch (error) {
        return this.end(0, { error }, false);
      }
      if (pulled.done) return this.end(0, undefined, false);
      let value = pulled.value;
      let index = 0;
      try {
        for (; index < this.stages.length && value !== SKIP; index++) {
          const out = this.stages[index]!.step(value);
          value = isPromise(out) ? await out : out;
        }
      } catch (error) {
        // The step at `index` failed: its iterator would have rejected, the later ones see the error.
        return this.end(index + 1, { error }, true);
      }
      if (value !== SKIP) return { value: value as T, done: false };
    }
  }

  protected release(): unknown {
    this.started = true;
    return this.taken ? undefined : this.source.return?.();
  }

  /**
   * The chain's end, from the step at `from` on, as the separate iterators would have ended: an
   * error goes to each later onError until one returns (then the steps after it see the end of
   * their source), the end of the source to each onDone (which may throw instead). `rejected`:
   * an iterator of the chain already failed with it, and so released the source.
   */
  private async end(from: number, failure: { readonly error: unknown } | undefined, rejected: boolean): Promise<IteratorResult<T>> {
    let released = rejected;
    for (let index = from; index < this.stages.length; index++) {
      const { onDone, onError } = this.stages[index]!.hooks;
      if (failure) {
        if (!onError) {
          released = true;
          continue;
        }
        try {
          onError(failure.error);
          failure = undefined;
        } catch (error) {
          failure = { error };
          released = true;
        }
      } else {
        try {
          onDone?.();
        } catch (error) {
          failure = { error };
          released = true;
        }
      }
    }
    // Thrown, PullIterator releases the source; a chain that ended quietly after one of its
    // iterators failed had released it there.
    if (failure) throw failure.error;
    if (released) await this.source.return?.();
    return done();
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function done(): IteratorReturnResult<undefined> {
  return { value: undefined, done: true };
}
