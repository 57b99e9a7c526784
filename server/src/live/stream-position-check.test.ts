import { EventEmitter } from 'node:events';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import { StreamPositionCheck, streamsBehind } from './stream-position-check';
import { behindEvent, type AppPubSub } from './pubsub';

describe('streamsBehind', () => {
  it('finds a stream whose event committed before the previous check has still not come', () => {
    expect(streamsBehind(new Map([['doctor:a', 4]]), new Map([['doctor:a', 5]]))).toEqual(['doctor:a']);
  });

  it('does not judge events committed since the previous check (they may be in flight)', () => {
    // At the previous check the stream stood at 5 and pub/sub brought 5; 6 and 7 came since.
    expect(streamsBehind(new Map([['doctor:a', 5]]), new Map([['doctor:a', 5]]))).toEqual([]);
  });

  it('leaves alone a stream that pub/sub brought further than the database stood (it moved on since)', () => {
    expect(streamsBehind(new Map([['doctor:a', 9]]), new Map([['doctor:a', 5]]))).toEqual([]);
  });

  it('leaves alone a stream unknown at the previous check (new subscription, or no event yet)', () => {
    expect(streamsBehind(new Map([['doctor:new', 0]]), new Map())).toEqual([]);
  });

  it('judges each stream alone', () => {
    const received = new Map([
      ['doctor:a', 3],
      ['doctor:b', 7],
      ['patient:c', 0],
    ]);
    const latest = new Map([
      ['doctor:a', 3],
      ['doctor:b', 8],
      ['patient:c', 1],
    ]);
    expect(streamsBehind(received, latest)).toEqual(['doctor:b', 'patient:c']);
  });
});

describe('StreamPositionCheck', () => {
  /** A pub/sub that only keeps received sequences, and a database of last sequences the test moves. */
  function setUp() {
    const seqs = new Map<string, number>();
    const events = new EventEmitter();
    const pubSub: Pick<AppPubSub, 'kind' | 'events' | 'receivedSeqs' | 'noteSeq'> = {
      kind: 'redis',
      events,
      receivedSeqs: () => new Map(seqs),
      noteSeq: (stream, seq) => seqs.set(stream, Math.max(seqs.get(stream) ?? 0, seq)),
    };
    const database = new Map<string, number>();
    const queries: string[][] = [];
    const sql: Pick<Sql, 'query'> = {
      query: async (_statement, params) => {
        const streams = params?.[0];
        if (!Array.isArray(streams)) throw new Error('expected the streams');
        queries.push(streams.map(String));
        return streams.flatMap((stream) =>
          database.has(String(stream)) ? [{ stream: String(stream), last_seq: String(database.get(String(stream))) }] : [],
        );
      },
    };
    const logger = { warn: () => undefined } as unknown as Logger;
    const check = new StreamPositionCheck(sql as Sql, pubSub as AppPubSub, logger, 1000);
    return { check, seqs, database, events, queries };
  }

  it('signals a stream whose last event pub/sub lost, once, even with nothing published after it', async () => {
    const { check, seqs, database, events, queries } = setUp();
    seqs.set('doctor:a', 3).set('doctor:b', 2);
    database.set('doctor:a', 4).set('doctor:b', 2); // doctor:a's 4 was committed; its message is lost
    const signalled: string[] = [];
    events.on(behindEvent('doctor:a'), () => signalled.push('doctor:a'));
    events.on(behindEvent('doctor:b'), () => signalled.push('doctor:b'));

    expect(await check.check()).toEqual([]); // first look: 4 may still be in flight
    expect(await check.check()).toEqual(['doctor:a']); // a whole interval later it has not come
    expect(signalled).toEqual(['doctor:a']);
    // The readers read the outbox to its end: no signal again while nothing else is missing.
    expect(await check.check()).toEqual([]);
    expect(signalled).toEqual(['doctor:a']);
    // One statement per check for every stream.
    expect(queries).toEqual([
      ['doctor:a', 'doctor:b'],
      ['doctor:a', 'doctor:b'],
      ['doctor:a', 'doctor:b'],
    ]);
  });

  it('does not signal a stream whose events keep coming', async () => {
    const { check, seqs, database } = setUp();
    for (let seq = 1; seq <= 5; seq += 1) {
      database.set('doctor:a', seq + 1); // committed, not arrived yet at this check
      seqs.set('doctor:a', seq);
      expect(await check.check()).toEqual([]);
      seqs.set('doctor:a', seq + 1); // arrives before the next check
    }
  });

  it('asks the database nothing while no stream has subscribers', async () => {
    const { check, queries } = setUp();
    expect(await check.check()).toEqual([]);
    expect(queries).toEqual([]);
  });
});
