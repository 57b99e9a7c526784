import { Batcher } from './batcher';

describe('Batcher', () => {
  it('flushes the items added within the delay together, and later ones in a batch of their own', async () => {
    const flushed: number[][] = [];
    const batcher = new Batcher<number>(5, async (items) => {
      flushed.push(items);
    });
    await Promise.all([batcher.add([1]), batcher.add([2, 3]), batcher.add([4])]);
    await batcher.add([5]);
    expect(flushed).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('rejects every caller of a batch whose flush fails, and the next batch starts afresh', async () => {
    let fail = true;
    const batcher = new Batcher<string>(1, async () => {
      if (fail) throw new Error('database down');
    });
    const outcomes = await Promise.allSettled([batcher.add(['a']), batcher.add(['b'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(['c'])).resolves.toBeUndefined();
  });

  it('puts what is added while a batch flushes into the next batch', async () => {
    const flushed: string[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<string>(1, async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await gate;
    });
    const first = batcher.add(['a']);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the first flush is running
    const second = batcher.add(['b']);
    release();
    await Promise.all([first, second]);
    expect(flushed).toEqual([['a'], ['b']]);
  });
});
