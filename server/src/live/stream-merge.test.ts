import fc from 'fast-check';
import { SequenceMerger, type Sequenced } from './stream-merge';

// What can reach a subscriber: a live copy of an event (from any instance, in any order, possibly
// twice), or a look at the database (everything committed after the last delivered sequence).
type Arrival = { kind: 'live'; seq: number } | { kind: 'fetch' };

const event = (seq: number): Sequenced => ({ seq });

/** Plays arrivals through a merger the way the stream reader does: fetch whenever a gap shows. */
function play(cursor: number, committed: number, arrivals: readonly Arrival[]): number[] {
  const merger = new SequenceMerger<Sequenced>(cursor);
  const delivered: number[] = [];
  const fetchAll = () => {
    const stored = [];
    for (let seq = merger.last + 1; seq <= committed; seq += 1) stored.push(event(seq));
    delivered.push(...merger.accept(stored).map((e) => e.seq));
  };
  for (const arrival of arrivals) {
    if (arrival.kind === 'fetch') fetchAll();
    else {
      delivered.push(...merger.accept([event(arrival.seq)]).map((e) => e.seq));
      if (merger.missing()) fetchAll();
    }
  }
  return delivered;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

describe('SequenceMerger', () => {
  // A cursor, the events committed after it, and what reaches the subscriber: each event's live
  // copy may be lost (pub/sub outage) or repeated (republished by a sweep), copies of older
  // events arrive stale, and looks at the database (gap fills, resyncs) happen at any moment.
  const scenario = fc
    .record({ cursor: fc.integer({ min: 0, max: 40 }), newEvents: fc.integer({ min: 0, max: 60 }) })
    .chain(({ cursor, newEvents }) => {
      const committed = cursor + newEvents;
      const seqs = range(cursor + 1, committed);
      const copies = committed === 0 ? fc.constant([]) : fc.array(fc.integer({ min: 1, max: committed }), { maxLength: 80 });
      return fc
        .tuple(fc.subarray(seqs), copies, fc.integer({ min: 0, max: 5 }))
        .chain(([reachedLive, extra, fetches]) =>
          fc.shuffledSubarray(
            [
              ...[...reachedLive, ...extra].map((seq): Arrival => ({ kind: 'live', seq })),
              ...Array.from({ length: fetches }, (): Arrival => ({ kind: 'fetch' })),
            ],
            { minLength: reachedLive.length + extra.length + fetches },
          ),
        )
        .map((arrivals) => ({ cursor, committed, arrivals }));
    });

  it('delivers every sequence after the cursor exactly once and in order, for any interleaving of live copies and fetches', () => {
    fc.assert(
      fc.property(scenario, ({ cursor, committed, arrivals }) => {
        // The final fetch is the resync that follows any pub/sub outage.
        expect(play(cursor, committed, [...arrivals, { kind: 'fetch' }])).toEqual(range(cursor + 1, committed));
      }),
      { numRuns: 300 },
    );
  });

  it('needs no database look when every event arrives live at least once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }).chain((newEvents) =>
          fc.array(fc.integer({ min: 1, max: Math.max(1, newEvents) }), { maxLength: 60 }).chain((extra) =>
            fc
              .shuffledSubarray([...range(1, newEvents), ...(newEvents > 0 ? extra : [])], {
                minLength: newEvents + (newEvents > 0 ? extra.length : 0),
              })
              .map((seqs) => ({ newEvents, seqs })),
          ),
        ),
        ({ newEvents, seqs }) => {
          const merger = new SequenceMerger<Sequenced>(0);
          const delivered = seqs.flatMap((seq) => merger.accept([event(seq)]).map((e) => e.seq));
          expect(delivered).toEqual(range(1, newEvents));
          expect(merger.missing()).toBeUndefined();
        },
      ),
    );
  });

  it('never delivers out of order or twice, even before every event has arrived', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 100 }), (cursor, seqs) => {
        const merger = new SequenceMerger<Sequenced>(cursor);
        const delivered = seqs.flatMap((seq) => merger.accept([event(seq)]).map((e) => e.seq));
        expect(delivered).toEqual(range(cursor + 1, cursor + delivered.length));
        expect(merger.last).toBe(cursor + delivered.length);
      }),
    );
  });

  it('names the gap below a held event, and fills it from fetched events', () => {
    const merger = new SequenceMerger<Sequenced>(3);
    expect(merger.accept([event(6), event(3)])).toEqual([]);
    expect(merger.missing()).toEqual({ after: 3, upTo: 5 });
    expect(merger.accept([event(5), event(4), event(6)]).map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(merger.missing()).toBeUndefined();
  });

  it('skips a gap the database cannot fill and delivers what was held above it', () => {
    const merger = new SequenceMerger<Sequenced>(0);
    merger.accept([event(4), event(5)]);
    expect(merger.skipTo(3).map((e) => e.seq)).toEqual([4, 5]);
  });
});
