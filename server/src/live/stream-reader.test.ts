import { EventEmitter } from 'node:events';
import { takeSeqs } from '../../test/helpers/sequences';
import { EventQueue } from './event-queue';
import { readStream, type StreamReaderOptions } from './stream-reader';

interface TestEvent {
  readonly seq: number;
}

/** A reader over an in-memory stream of `committed` events; what the database would answer. */
function setUp(overrides: Partial<StreamReaderOptions<TestEvent>> & { committed?: number } = {}) {
  let liveEnded = false;
  const live = new EventQueue<TestEvent>(() => (liveEnded = true));
  const signals = new EventEmitter();
  const fetches: number[] = [];
  const committed = overrides.committed ?? 0;
  const stream = readStream<TestEvent>({
    start: 0,
    replay: false,
    live,
    signals,
    maxQueued: 100,
    onOverflow: () => {},
    authorize: () => {},
    fetchAfter: async (after, limit) => {
      fetches.push(after);
      return Array.from({ length: Math.max(0, Math.min(limit, committed - after)) }, (_, i) => ({ seq: after + 1 + i }));
    },
    ...overrides,
  });
  return { stream, live, signals, fetches, liveEnded: () => liveEnded };
}

describe('readStream', () => {
  it('fills a gap in live events from the database before delivering above it, and drops repeats', async () => {
    const { stream, live, fetches } = setUp({ committed: 4 });
    live.push({ seq: 3 });
    live.push({ seq: 1 });
    live.push({ seq: 4 });
    live.push({ seq: 2 });
    expect(await takeSeqs(stream, 4)).toEqual([1, 2, 3, 4]);
    expect(fetches).toEqual([0]);
    await stream.return?.();
  });

  it('tells each read how far it must reach: the head when replaying, the gap below a held event, nothing known after an outage', async () => {
    const asked: Array<number | undefined> = [];
    const { stream, live, signals } = setUp({
      committed: 6,
      start: 1,
      replay: true,
      head: 3,
      fetchAfter: async (after, limit, mustReach) => {
        asked.push(mustReach);
        // A database that has replayed up to 3 only until asked for more.
        const upTo = mustReach === undefined ? 6 : Math.max(3, mustReach);
        return Array.from({ length: Math.max(0, Math.min(limit, upTo - after)) }, (_, i) => ({ seq: after + 1 + i }));
      },
    });
    expect(await takeSeqs(stream, 2)).toEqual([2, 3]);
    live.push({ seq: 5 });
    expect(await takeSeqs(stream, 2)).toEqual([4, 5]);
    signals.emit('resubscribed');
    expect(await takeSeqs(stream, 1)).toEqual([6]);
    expect(asked).toEqual([3, 4, undefined]);
    await stream.return?.();
  });

  it('reads the database again when pub/sub reports it may have lost messages', async () => {
    const { stream, signals } = setUp({ committed: 2 });
    signals.emit('resubscribed');
    expect(await takeSeqs(stream, 2)).toEqual([1, 2]);
    await stream.return?.();
  });

  it('releases the live subscription when returned before it was ever pulled', async () => {
    const { stream, liveEnded } = setUp();
    await stream.return?.();
    expect(liveEnded()).toBe(true);
  });

  it('reports an overflow and ends when the consumer falls too far behind', async () => {
    let overflowed = false;
    const { stream, live, liveEnded } = setUp({ maxQueued: 3, onOverflow: () => (overflowed = true) });
    for (let seq = 1; seq <= 5; seq += 1) live.push({ seq });
    const delivered = await takeSeqs(stream, 5); // ends early: what waited was dropped, not delivered
    expect(delivered.length).toBeLessThan(5);
    expect(overflowed).toBe(true);
    expect(liveEnded()).toBe(true);
  });
});
