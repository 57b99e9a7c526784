import { Admission } from './admission';

describe('Admission', () => {
  afterEach(() => jest.useRealTimers());

  it('admits up to the in-flight limit, queues up to the queue limit and refuses the rest at once', async () => {
    const admission = new Admission({ maxInFlight: 2, maxQueued: 1, queueTimeoutMs: 10_000 });
    const first = await admission.acquire();
    const second = await admission.acquire();
    const queued = admission.acquire();
    const refused = await admission.acquire();
    expect([typeof first, typeof second, refused]).toEqual(['function', 'function', undefined]);
    expect(admission.load).toEqual({ inFlight: 2, queued: 1 });
    expect(admission.refused).toBe(1);

    first!();
    const third = await queued;
    expect(typeof third).toBe('function');
    expect(admission.load).toEqual({ inFlight: 2, queued: 0 });
    first!(); // a second release of the same request changes nothing
    expect(admission.load).toEqual({ inFlight: 2, queued: 0 });
    second!();
    third!();
    expect(admission.load).toEqual({ inFlight: 0, queued: 0 });
  });

  it('refuses a request that waited longer than the queue timeout, and leaves the queue empty', async () => {
    jest.useFakeTimers();
    const admission = new Admission({ maxInFlight: 1, maxQueued: 5, queueTimeoutMs: 200 });
    const running = await admission.acquire();
    const waiting = admission.acquire();
    jest.advanceTimersByTime(199);
    expect(admission.load.queued).toBe(1);
    jest.advanceTimersByTime(1);
    await expect(waiting).resolves.toBeUndefined();
    expect(admission.load).toEqual({ inFlight: 1, queued: 0 });
    running!();
    expect(admission.load).toEqual({ inFlight: 0, queued: 0 });
  });

  it('serves waiting requests first come, first served', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 3, queueTimeoutMs: 10_000 });
    const order: string[] = [];
    const running = await admission.acquire();
    const waits = ['a', 'b', 'c'].map((name) => admission.acquire().then((release) => (order.push(name), release)));
    running!();
    (await waits[0]!)!();
    (await waits[1]!)!();
    (await waits[2]!)!();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses at once a request whose estimated wait (queue ahead x recent service time / in-flight) exceeds the timeout', async () => {
    let now = 0;
    const admission = new Admission({ maxInFlight: 1, maxQueued: 10, queueTimeoutMs: 200 }, () => now);
    const measured = await admission.acquire();
    now += 100; // one request ran 100 ms: the average service time
    measured!();
    const running = await admission.acquire();
    const waits = [admission.acquire(), admission.acquire()]; // expected waits 100 and 200 ms: queued
    expect(admission.load).toEqual({ inFlight: 1, queued: 2 });
    await expect(admission.acquire()).resolves.toBeUndefined(); // 300 ms: refused now, not in 200 ms
    expect(admission.load).toEqual({ inFlight: 1, queued: 2 });
    running!();
    (await waits[0]!)!();
    (await waits[1]!)!();
    expect(admission.load).toEqual({ inFlight: 0, queued: 0 });
  });
});
