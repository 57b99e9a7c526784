// StreamFeeds: one reader per stream shared by its subscribers, each from the moment it joined,
// cut off alone when it falls behind, ended together when the reader fails.
import { takeSeqs } from '../../test/helpers/sequences';
import { EventQueue } from './event-queue';
import { StreamFeeds, type FeedMember } from './stream-feeds';

interface TestEvent {
  readonly seq: number;
}

/** Feeds over readers the test pushes into; counts how often a stream was opened and released. */
function setUp() {
  const readers: Array<{ queue: EventQueue<TestEvent>; released: boolean; overflowed: boolean }> = [];
  const feeds = new StreamFeeds<TestEvent>(async () => {
    const reader = { queue: new EventQueue<TestEvent>(() => (reader.released = true)), released: false, overflowed: false };
    readers.push(reader);
    return { start: 10, events: reader.queue, overflowed: () => reader.overflowed };
  });
  return { feeds, readers };
}

/** The next `count` sequences a member receives. */
const take = (member: FeedMember<TestEvent>, count: number): Promise<number[]> => takeSeqs(member.events, count);

/** Lets the feed's loop pass on what was pushed. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamFeeds', () => {
  it('opens one reader per stream, and each member receives the events after the one it joined at', async () => {
    const { feeds, readers } = setUp();
    const first = await feeds.join('doctor:a', 100);
    expect(first.start).toBe(10);
    readers[0]?.queue.push({ seq: 11 });
    await settle();
    const second = await feeds.join('doctor:a', 100);
    expect(second.start).toBe(11);
    readers[0]?.queue.push({ seq: 12 });
    expect(await take(first, 2)).toEqual([11, 12]);
    expect(await take(second, 1)).toEqual([12]);
    expect(readers).toHaveLength(1);
    expect(feeds.memberCount('doctor:a')).toBe(2);
    await Promise.all([first.events.return?.(), second.events.return?.()]);
  });

  it('releases the reader when the last member leaves, and opens a new one for the next', async () => {
    const { feeds, readers } = setUp();
    const first = await feeds.join('doctor:a', 100);
    const second = await feeds.join('doctor:a', 100);
    const waiting = first.events.next();
    await first.events.return?.();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(readers[0]?.released).toBe(false);
    await second.events.return?.();
    expect(readers[0]?.released).toBe(true);
    expect(feeds.memberCount('doctor:a')).toBe(0);

    const third = await feeds.join('doctor:a', 100);
    expect(readers).toHaveLength(2);
    readers[1]?.queue.push({ seq: 11 });
    expect(await take(third, 1)).toEqual([11]);
    await third.events.return?.();
  });

  it('cuts off only the member that falls more than maxQueued events behind', async () => {
    const { feeds, readers } = setUp();
    const slow = await feeds.join('doctor:a', 2);
    const quick = await feeds.join('doctor:a', 2);
    const received: number[] = [];
    const reading = (async () => {
      for await (const event of quick.events) {
        received.push(event.seq);
        if (event.seq === 14) break;
      }
    })();
    for (const seq of [11, 12, 13, 14]) {
      readers[0]?.queue.push({ seq });
      await settle();
    }
    await reading;
    expect(received).toEqual([11, 12, 13, 14]);
    expect(slow.overflowed()).toBe(true);
    expect(quick.overflowed()).toBe(false);
    expect(await slow.events.next()).toEqual({ value: undefined, done: true });
    // Both gone (the slow one cut, the quick one left): the reader is released.
    expect(readers[0]?.released).toBe(true);
  });

  it('ends every member with the reader: its error, or as slow consumers when it overflowed', async () => {
    const failing = new StreamFeeds<TestEvent>(async () => ({
      start: 0,
      events: (async function* () {
        yield { seq: 1 };
        throw new Error('database gone');
      })(),
      overflowed: () => false,
    }));
    const member = await failing.join('doctor:a', 100);
    await expect(take(member, 2)).rejects.toThrow('database gone');
    expect(failing.memberCount('doctor:a')).toBe(0);

    const { feeds, readers } = setUp();
    const [a, b] = [await feeds.join('doctor:b', 100), await feeds.join('doctor:b', 100)];
    const reader = readers[0];
    if (!reader) throw new Error('no reader');
    reader.overflowed = true;
    reader.queue.end();
    await settle();
    expect([a.overflowed(), b.overflowed()]).toEqual([true, true]);
    expect(await a.events.next()).toEqual({ value: undefined, done: true });
  });

  it('gives a subscriber that joins while the stream opens the same feed, and one that fails to open to nobody', async () => {
    let opens = 0;
    let fail = true;
    const feeds = new StreamFeeds<TestEvent>(async () => {
      opens += 1;
      await Promise.resolve();
      if (fail) throw new Error('redis down');
      return { start: 0, events: new EventQueue<TestEvent>(), overflowed: () => false };
    });
    await expect(Promise.all([feeds.join('doctor:a', 10), feeds.join('doctor:a', 10)])).rejects.toThrow('redis down');
    expect(opens).toBe(1);
    fail = false;
    const members = await Promise.all([feeds.join('doctor:a', 10), feeds.join('doctor:a', 10)]);
    expect(opens).toBe(2);
    expect(feeds.memberCount('doctor:a')).toBe(2);
    for (const member of members) await member.events.return?.();
  });
});
