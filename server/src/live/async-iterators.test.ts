import { iteratorFrom, mapIterator, SKIP } from './async-iterators';

const DONE = { value: undefined, done: true };

/**
 * A source of `values` that counts its pulls and returns; with `wait`, a pull waits until the
 * source is returned (what a live stream does between events).
 */
function source<T>(values: T[], options: { wait?: boolean; fail?: Error } = {}) {
  const calls = { next: 0, return: 0 };
  let wake: ((result: IteratorResult<T>) => void) | undefined;
  const iterator: AsyncIterator<T> = {
    next() {
      calls.next += 1;
      if (options.fail) return Promise.reject(options.fail);
      const value = values.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (options.wait) return new Promise((resolve) => (wake = resolve));
      return Promise.resolve({ value: undefined, done: true });
    },
    async return() {
      calls.return += 1;
      wake?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
  };
  return { iterator, calls };
}

describe('mapIterator', () => {
  it('passes each value through the step, in order, and drops what the step SKIPs', async () => {
    const { iterator } = source([1, 2, 3, 4]);
    const mapped = mapIterator(iterator, async (n) => (n % 2 === 0 ? SKIP : `#${n}`));
    const seen: string[] = [];
    for await (const value of mapped) seen.push(value);
    expect(seen).toEqual(['#1', '#3']);
  });

  it('returns the source when returned before the first next()', async () => {
    const { iterator, calls } = source([1], { wait: true });
    const mapped = mapIterator(iterator, (n) => n);
    expect(await mapped.return?.()).toEqual(DONE);
    expect(calls).toEqual({ next: 0, return: 1 });
  });

  it('returns the source at once when returned while a next() waits, and that next() answers done', async () => {
    const { iterator, calls } = source<number>([], { wait: true });
    const mapped = mapIterator(iterator, (n) => n);
    const pending = mapped.next();
    await mapped.return?.();
    expect(calls.return).toBe(1);
    await expect(pending).resolves.toEqual(DONE);
  });

  it('answers done after return() without pulling the source again, and returns it only once', async () => {
    const { iterator, calls } = source([1, 2]);
    const mapped = mapIterator(iterator, (n) => n);
    expect(await mapped.next()).toEqual({ value: 1, done: false });
    await mapped.return?.();
    await mapped.return?.();
    expect(await mapped.next()).toEqual(DONE);
    expect(calls).toEqual({ next: 1, return: 1 });
  });

  it('returns the source and rejects with the error when thrown into', async () => {
    const { iterator, calls } = source([1], { wait: true });
    const mapped = mapIterator(iterator, (n) => n);
    const error = new Error('consumer gave up');
    await expect(mapped.throw?.(error)).rejects.toBe(error);
    expect(calls.return).toBe(1);
    expect(await mapped.next()).toEqual(DONE);
  });

  it("passes on the source's error, then answers done", async () => {
    const failure = new Error('FORBIDDEN');
    const { iterator } = source<number>([], { fail: failure });
    const mapped = mapIterator(iterator, (n) => n);
    await expect(mapped.next()).rejects.toBe(failure);
    expect(await mapped.next()).toEqual(DONE);
  });

  it("passes on the step's error and returns the source, which a for-await loop would not", async () => {
    const { iterator, calls } = source([1, 2]);
    const failure = new Error('audit write failed');
    const mapped = mapIterator(iterator, async () => {
      throw failure;
    });
    await expect(mapped.next()).rejects.toBe(failure);
    expect(calls.return).toBe(1);
  });

  it('does not return a source that ran out by itself', async () => {
    const { iterator, calls } = source([1]);
    const mapped = mapIterator(iterator, (n) => n);
    expect(await mapped.next()).toEqual({ value: 1, done: false });
    expect(await mapped.next()).toEqual(DONE);
    await mapped.return?.();
    expect(await mapped.next()).toEqual(DONE);
    expect(calls).toEqual({ next: 2, return: 0 });
  });

  it('lets onDone turn the end of the source into an error', async () => {
    const { iterator } = source<number>([]);
    const failure = new Error('slow consumer');
    const mapped = mapIterator(iterator, (n) => n, {
      onDone: () => {
        throw failure;
      },
    });
    await expect(mapped.next()).rejects.toBe(failure);
  });

  it("lets onError end quietly on the source's error, or fail with it", async () => {
    const quiet = new Error('quiet');
    const loud = new Error('loud');
    const seen: unknown[] = [];
    const onError = (error: unknown) => {
      seen.push(error);
      if (error !== quiet) throw error;
    };
    await expect(mapIterator(source<number>([], { fail: quiet }).iterator, (n) => n, { onError }).next()).resolves.toEqual(DONE);
    await expect(mapIterator(source<number>([], { fail: loud }).iterator, (n) => n, { onError }).next()).rejects.toBe(loud);
    expect(seen).toEqual([quiet, loud]);
  });

  it('returns the source when a for-await loop breaks', async () => {
    const { iterator, calls } = source([1, 2, 3]);
    for await (const value of mapIterator(iterator, (n) => n)) {
      expect(value).toBe(1);
      break;
    }
    expect(calls.return).toBe(1);
  });
});

describe('mapIterator over a mapped iterator', () => {
  it('runs both steps on each value, in order, and the second never sees what the first SKIPs', async () => {
    const { iterator } = source([1, 2, 3]);
    const seen: number[] = [];
    const first = mapIterator(iterator, (n) => (n === 2 ? SKIP : n * 10));
    const second = mapIterator(first, async (n) => {
      seen.push(n);
      return `#${n}`;
    });
    const out: string[] = [];
    for await (const value of second) out.push(value);
    expect(out).toEqual(['#10', '#30']);
    expect(seen).toEqual([10, 30]);
  });

  it('takes a value through three steps in as many microtask turns as through one', async () => {
    const turnsToFirstValue = async (steps: number) => {
      let mapped: AsyncIterator<number> = source([1]).iterator;
      for (let index = 0; index < steps; index++) mapped = mapIterator(mapped, (n) => n);
      return turnsUntil(mapped.next());
    };
    expect(await turnsToFirstValue(3)).toBe(await turnsToFirstValue(1));
  });

  it("offers the first step's error to the later onError hooks in turn, and returns the source", async () => {
    const { iterator, calls } = source([1]);
    const failure = new Error('re-check failed');
    const offered: unknown[] = [];
    const first = mapIterator(iterator, () => {
      throw failure;
    });
    const second = mapIterator(first, (n) => n);
    const third = mapIterator(second, (n) => n, { onError: (error) => void offered.push(error) });
    expect(await third.next()).toEqual(DONE);
    expect(offered).toEqual([failure]);
    expect(calls.return).toBe(1);
  });

  it("leaves the source alone when the first onError ends quietly on the source's error, and the later ones see the end", async () => {
    const failure = new Error('gone');
    const { iterator, calls } = source<number>([], { fail: failure });
    const order: string[] = [];
    const first = mapIterator(iterator, (n) => n, { onError: () => void order.push('first onError') });
    const second = mapIterator(first, (n) => n, {
      onError: () => void order.push('second onError'),
      onDone: () => void order.push('second onDone'),
    });
    expect(await second.next()).toEqual(DONE);
    expect(order).toEqual(['first onError', 'second onDone']);
    expect(calls.return).toBe(0);
  });

  it("turns the first onDone's error into the second's error, as the separate iterators would", async () => {
    const { iterator } = source<number>([]);
    const cut = new Error('slow consumer');
    const first = mapIterator(iterator, (n) => n, {
      onDone: () => {
        throw cut;
      },
    });
    const second = mapIterator(first, (n) => n);
    await expect(second.next()).rejects.toBe(cut);
    expect(await second.next()).toEqual(DONE);
  });

  it('maps a mapped iterator that was already pulled as a chain: the first one keeps its place', async () => {
    const { iterator } = source([1, 2, 3]);
    const first = mapIterator(iterator, (n) => n * 10);
    expect(await first.next()).toEqual({ value: 10, done: false });
    const second = mapIterator(first, (n) => n + 1);
    expect(await second.next()).toEqual({ value: 21, done: false });
    expect(await first.next()).toEqual({ value: 30, done: false });
  });

  it('answers done from the first iterator once a later step took it over, and returning the fused one returns the source', async () => {
    const { iterator, calls } = source([1], { wait: true });
    const first = mapIterator(iterator, (n) => n);
    const second = mapIterator(first, (n) => n);
    expect(await first.next()).toEqual(DONE);
    await second.return?.();
    expect(calls).toEqual({ next: 0, return: 1 });
  });
});

describe('iteratorFrom', () => {
  it('releases once when returned before the first next(), and never pulls afterwards', async () => {
    const next = jest.fn(() => Promise.resolve({ value: 1, done: false as const }));
    const release = jest.fn();
    const iterator = iteratorFrom({ next, release });
    await iterator.return?.();
    await iterator.throw?.(new Error('late')).catch(() => undefined);
    expect(await iterator.next()).toEqual(DONE);
    expect(release).toHaveBeenCalledTimes(1);
    expect(next).not.toHaveBeenCalled();
  });

  it('waits for an asynchronous release before return() settles', async () => {
    const order: string[] = [];
    const iterator = iteratorFrom<number>({
      next: () => Promise.resolve({ value: 1, done: false }),
      release: async () => {
        await Promise.resolve();
        order.push('released');
      },
    });
    await iterator.return?.();
    order.push('returned');
    expect(order).toEqual(['released', 'returned']);
  });
});

/** How many microtask turns pass before `promise` settles. */
async function turnsUntil(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  void promise.then(() => (settled = true));
  let turns = 0;
  while (!settled) {
    await Promise.resolve();
    turns += 1;
    if (turns > 1_000) throw new Error('never settled');
  }
  return turns;
}
