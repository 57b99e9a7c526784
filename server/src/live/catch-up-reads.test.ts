import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { judgeReplicaPage } from './catch-up-reads';
import { EventQueue } from './event-queue';
import type { MissingRange, Sequenced } from './stream-merge';
import { readStream } from './stream-reader';

const events = (...seqs: number[]): Sequenced[] => seqs.map((seq) => ({ seq }));
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** What a database holding `seqs` answers to "seq > after, at most limit". */
const readFrom = (seqs: readonly number[], after: number, limit: number) => events(...seqs.filter((seq) => seq > after).slice(0, limit));

describe('judgeReplicaPage', () => {
  it('trusts a page without a hole that reaches the sequence known to exist', () => {
    expect(judgeReplicaPage(events(4, 5, 6), { afterSeq: 3, limit: 10, mustReach: 6 })).toEqual({ trusted: events(4, 5, 6) });
  });

  it('has the primary complete a page that stops short of it (the replica lags)', () => {
    expect(judgeReplicaPage(events(4, 5), { afterSeq: 3, limit: 10, mustReach: 8 })).toEqual({
      trusted: events(4, 5),
      fromPrimary: { afterSeq: 5, limit: 8 },
    });
    expect(judgeReplicaPage([], { afterSeq: 3, limit: 10, mustReach: 4 })).toEqual({
      trusted: [],
      fromPrimary: { afterSeq: 3, limit: 10 },
    });
  });

  it('never lets the replica say an event is gone: a hole goes to the primary from its first sequence', () => {
    expect(judgeReplicaPage(events(4, 6, 7), { afterSeq: 3, limit: 10, mustReach: 7 })).toEqual({
      trusted: events(4),
      fromPrimary: { afterSeq: 4, limit: 9 },
    });
    // Even one starting the page (pruned, or not decodable): the primary decides.
    expect(judgeReplicaPage(events(9), { afterSeq: 3, limit: 10, mustReach: 9 })).toEqual({
      trusted: [],
      fromPrimary: { afterSeq: 3, limit: 10 },
    });
  });

  it('trusts a full page whatever is known beyond it (the reader reads the next page)', () => {
    expect(judgeReplicaPage(events(1, 2, 3), { afterSeq: 0, limit: 3, mustReach: 50 })).toEqual({ trusted: events(1, 2, 3) });
  });

  it('trusts an empty page when nothing beyond the cursor is known to exist', () => {
    expect(judgeReplicaPage([], { afterSeq: 7, limit: 10, mustReach: 7 })).toEqual({ trusted: [] });
  });

  // The rule's promise: whatever the replica has replayed, the answer (trusted + the primary's
  // part) is a start of the primary's own answer, and holds everything the primary has up to the
  // sequence known to exist (or a full page). So a gap the reader still sees is the primary's.
  it('answers a start of what the primary answers, reaching every sequence known to exist', () => {
    fc.assert(
      fc.property(
        fc.record({
          committed: fc.integer({ min: 0, max: 40 }),
          replayedShare: fc.double({ min: 0, max: 1, noNaN: true }),
          pruned: fc.integer({ min: 0, max: 10 }),
          prunedOnReplica: fc.integer({ min: 0, max: 10 }),
          undecodable: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }),
          after: fc.integer({ min: 0, max: 40 }),
          known: fc.integer({ min: 0, max: 40 }),
          limit: fc.integer({ min: 1, max: 12 }),
        }),
        ({ committed, replayedShare, pruned, prunedOnReplica, undecodable, after, known, limit }) => {
          const afterSeq = Math.min(after, committed);
          const mustReach = Math.max(afterSeq, Math.min(known, committed));
          const bad = new Set(undecodable);
          // The primary: pruned below `pruned`, undecodable rows left out by the decoder.
          const primary = range(Math.min(pruned, committed) + 1, committed).filter((seq) => !bad.has(seq));
          // The replica: the primary as it was when it had `replayed` events (pruning may lag too).
          const replayed = Math.floor(committed * replayedShare);
          const replica = range(Math.min(prunedOnReplica, pruned) + 1, replayed).filter((seq) => !bad.has(seq));
          const verdict = judgeReplicaPage(readFrom(replica, afterSeq, limit), { afterSeq, limit, mustReach });
          const rest = verdict.fromPrimary ? readFrom(primary, verdict.fromPrimary.afterSeq, verdict.fromPrimary.limit) : [];
          const answer = [...verdict.trusted, ...rest].map((event) => event.seq);
          const primaryAnswer = readFrom(primary, afterSeq, limit).map((event) => event.seq);
          // Only events the primary has, or had and pruned since (the replica may still hold those), in order, once.
          expect(answer).toEqual([...answer].sort((a, b) => a - b));
          expect(new Set(answer).size).toBe(answer.length);
          const withoutPrunedOnes = answer.filter((seq) => seq > pruned);
          expect(primaryAnswer.slice(0, withoutPrunedOnes.length)).toEqual(withoutPrunedOnes);
          // Nothing the primary has up to mustReach is missing (unless the page is full).
          if (answer.length < limit) {
            for (const seq of primaryAnswer) if (seq <= mustReach) expect(answer).toContain(seq);
          }
        },
      ),
    );
  });
});

describe('readStream over a lagging replica', () => {
  /**
   * A stream of `committed` events on the primary; the replica has replayed `replayed` of them.
   * Live copies of `live` arrive. `fetch` reads as CatchUpReads does (replica, completed from the
   * primary by judgeReplicaPage), or from the replica alone (`replicaOnly`: what CareLine did
   * before, so the test shows what it guards against).
   */
  async function run(options: { cursor: number; committed: number; replayed: number; live: number[]; replicaOnly?: boolean }) {
    const primary = range(1, options.committed);
    const replica = range(1, options.replayed);
    const live = new EventQueue<Sequenced>();
    const skipped: MissingRange[] = [];
    const fetches: Array<{ after: number; mustReach: number | undefined }> = [];
    const stream = readStream<Sequenced>({
      start: options.cursor,
      replay: true,
      head: options.committed,
      live,
      signals: new EventEmitter(),
      maxQueued: 100,
      onOverflow: () => {},
      authorize: () => {},
      onSkip: (gap) => skipped.push(gap),
      fetchAfter: async (after, limit, mustReach) => {
        fetches.push({ after, mustReach });
        const page = readFrom(replica, after, limit);
        if (options.replicaOnly) return page;
        const verdict = judgeReplicaPage(page, { afterSeq: after, limit, mustReach: mustReach ?? options.committed });
        return verdict.fromPrimary
          ? [...verdict.trusted, ...readFrom(primary, verdict.fromPrimary.afterSeq, verdict.fromPrimary.limit)]
          : [...verdict.trusted];
      },
    });
    for (const seq of options.live) live.push({ seq });
    const delivered: number[] = [];
    const expected = options.committed - options.cursor;
    while (delivered.length < expected) {
      const next = await Promise.race([
        stream.next(),
        new Promise<'stuck'>((resolve) => setImmediate(() => setImmediate(() => resolve('stuck')))),
      ]);
      if (next === 'stuck' || next.done) break;
      delivered.push(next.value.seq);
    }
    await stream.return?.();
    return { delivered, skipped, fetches };
  }

  it('replays past what the replica has, from the primary, with the head read at the start', async () => {
    const result = await run({ cursor: 2, committed: 9, replayed: 5, live: [] });
    expect(result.delivered).toEqual(range(3, 9));
    expect(result.skipped).toEqual([]);
    expect(result.fetches[0]).toEqual({ after: 2, mustReach: 9 });
  });

  it('fills a gap in live events the replica has not replayed yet, without skipping it', async () => {
    const result = await run({ cursor: 9, committed: 14, replayed: 10, live: [14, 12] });
    expect(result.delivered).toEqual(range(10, 14));
    expect(result.skipped).toEqual([]);
  });

  it('(what it guards against) a replica alone would skip that gap as if pruned', async () => {
    const result = await run({ cursor: 9, committed: 14, replayed: 10, live: [14, 12], replicaOnly: true });
    expect(result.skipped).not.toEqual([]);
    expect(result.delivered).not.toEqual(range(10, 14));
  });
});
