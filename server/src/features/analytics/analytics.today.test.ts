import { iteratorFrom } from '../../live/async-iterators';
import { boardFollowing } from './analytics.today';

/** A change stream a test pushes into. */
function changeStream() {
  const queued: number[] = [];
  let waiting: ((result: IteratorResult<number>) => void) | undefined;
  let ended = false;
  let released = false;
  const iterator = iteratorFrom<number>({
    next: () =>
      queued.length > 0
        ? Promise.resolve({ done: false, value: queued.shift()! })
        : ended
          ? Promise.resolve({ done: true, value: undefined })
          : new Promise((resolve) => (waiting = resolve)),
    release: () => {
      released = true;
      waiting?.({ done: true, value: undefined });
    },
  });
  return {
    iterator,
    push(value: number) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ done: false, value });
      } else queued.push(value);
    },
    end() {
      ended = true;
      waiting?.({ done: true, value: undefined });
    },
    get released() {
      return released;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a board following changes', () => {
  it('gives the board at once, then one after each change, from either stream', async () => {
    const bookings = changeStream();
    const updates = changeStream();
    let state = 0;
    const boards = boardFollowing(
      [bookings.iterator, updates.iterator],
      async () => state,
      async () => true,
    );
    expect(await boards.next()).toEqual({ done: false, value: 0 });
    state = 1;
    bookings.push(1);
    expect(await boards.next()).toEqual({ done: false, value: 1 });
    state = 2;
    updates.push(1);
    expect(await boards.next()).toEqual({ done: false, value: 2 });
    await boards.return!();
    expect(bookings.released && updates.released).toBe(true);
  });

  it('folds a burst of changes into one recompute', async () => {
    const bookings = changeStream();
    let computed = 0;
    const boards = boardFollowing(
      [bookings.iterator],
      async () => ++computed,
      async () => true,
    );
    await boards.next();
    bookings.push(1);
    bookings.push(2);
    bookings.push(3);
    await tick();
    expect(await boards.next()).toEqual({ done: false, value: 2 });
    expect(computed).toBe(2);
  });

  it('lets go of its streams at once when returned while waiting for a change', async () => {
    const bookings = changeStream();
    const boards = boardFollowing(
      [bookings.iterator],
      async () => 0,
      async () => true,
    );
    await boards.next();
    const waiting = boards.next();
    await boards.return!();
    expect(bookings.released).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('ends with the error of the check before a recompute (a subscriber who left)', async () => {
    const bookings = changeStream();
    const boards = boardFollowing(
      [bookings.iterator],
      async () => 0,
      async () => {
        throw new Error('FORBIDDEN');
      },
    );
    await boards.next();
    bookings.push(1);
    await expect(boards.next()).rejects.toThrow('FORBIDDEN');
    expect(bookings.released).toBe(true);
  });

  it('ends when every change stream has ended', async () => {
    const bookings = changeStream();
    const boards = boardFollowing(
      [bookings.iterator],
      async () => 0,
      async () => true,
    );
    await boards.next();
    bookings.end();
    expect(await boards.next()).toEqual({ done: true, value: undefined });
  });

  it('passes the mark of the last change it answers, so subscribers woken by one change can share a board', async () => {
    const bookings = changeStream();
    let stamp = 0;
    const answered: number[] = [];
    const boards = boardFollowing(
      [bookings.iterator],
      async (wokenAt) => {
        answered.push(wokenAt);
        return wokenAt;
      },
      async () => true,
      () => ++stamp,
    );
    expect(await boards.next()).toEqual({ done: false, value: 1 });
    bookings.push(1);
    bookings.push(2);
    await tick();
    // Two changes folded into one board: it answers the later one's mark.
    expect(await boards.next()).toEqual({ done: false, value: 3 });
    expect(answered).toEqual([1, 3]);
  });
});
