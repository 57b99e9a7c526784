import { PullIterator } from './async-iterators';

/**
 * A push-to-pull bridge: pub/sub callbacks push, a GraphQL subscription pulls with `for await`.
 * Ending it (return(), end(), or the consumer leaving the loop) runs `onEnd` once, which is where
 * the pub/sub subscription is released, so an abandoned socket leaves nothing behind.
 */
export class EventQueue<T> extends PullIterator<T> {
  private readonly buffered: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T> | PromiseLike<IteratorResult<T>>) => void> = [];
  private ended = false;
  /** Set by fail(): what pulls reject with once the queue has ended. */
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly onEnd: () => void = () => {}) {
    super();
  }

  /** Delivers a value to a waiting consumer, or buffers it; ignored once the queue has ended. */
  push(value: T): void {
    if (this.ended) return;
    const resolve = this.waiting.shift();
    if (resolve) resolve({ value, done: false });
    else this.buffered.push(value);
  }

  /** How many values are buffered and not yet pulled. */
  get size(): number {
    return this.buffered.length;
  }

  /**
   * Pulls directly: once the queue has ended a pull answers done (or, after fail(), rejects with
   * its error, the cleanup having run already), which is what PullIterator's next() would make of
   * it, one microtask sooner (every live event passes two queues, and how far a slow consumer
   * lags is measured in what waits in them).
   */
  override next(): Promise<IteratorResult<T>> {
    return this.pull();
  }

  protected pull(): Promise<IteratorResult<T>> {
    const value = this.buffered.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  protected release(): void {
    this.end();
  }

  /** Stops the queue: pending pulls finish as done, buffered values are dropped, onEnd runs once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffered.length = 0;
    const { failure } = this;
    for (const resolve of this.waiting.splice(0)) resolve(failure ? Promise.reject(failure.error) : { value: undefined, done: true });
    this.onEnd();
  }

  /** Stops the queue as end() does, except that pending and later pulls reject with `error`. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.end();
  }
}
