import { SharedBoards } from './analytics.shared-boards';

/** A computation the test settles by hand. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('boards shared by the subscribers one change woke', () => {
  it('hands a computation in flight to a subscriber woken before it started, and only to them', async () => {
    const boards = new SharedBoards<number>();
    const first = pending<number>();
    const second = pending<number>();
    let computed = 0;
    const compute = (next: ReturnType<typeof pending<number>>) => () => {
      computed += 1;
      return next.promise;
    };
    const deskA = boards.mark();
    const deskB = boards.mark();
    const a = boards.board('practice', deskA, compute(first));
    const b = boards.board('practice', deskB, compute(second));
    expect(computed).toBe(1);
    // Woken by a later change, while the first computation runs: it may not see that change.
    const later = boards.board('practice', boards.mark(), compute(second));
    expect(computed).toBe(2);
    first.resolve(1);
    second.resolve(2);
    expect([await a, await b, await later]).toEqual([1, 1, 2]);
  });

  it('keeps practices apart, and lets go of a board once it is settled', async () => {
    const boards = new SharedBoards<string>();
    const woken = boards.mark();
    const here = boards.board('here', woken, async () => 'here');
    const there = boards.board('there', woken, async () => 'there');
    expect(boards.size).toBe(2);
    expect([await here, await there]).toEqual(['here', 'there']);
    await Promise.resolve();
    expect(boards.size).toBe(0);
    let computed = 0;
    await boards.board('here', woken, async () => `again ${++computed}`);
    expect(computed).toBe(1);
  });

  it('does not hand a failed computation to a subscriber who asks after it failed', async () => {
    const boards = new SharedBoards<number>();
    const woken = boards.mark();
    await expect(boards.board('practice', woken, () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    await expect(boards.board('practice', woken, async () => 3)).resolves.toBe(3);
  });
});
