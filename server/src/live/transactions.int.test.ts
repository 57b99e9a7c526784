// Transactions.run against real PostgreSQL: a write that PostgreSQL aborts for a deadlock is run
// again, and what it emits is written and published once, in a gap-free sequence; a write the
// work did not wait for (Tx.alongside), and a tap's last write sent with COMMIT, commit with the
// rest or fail all of it, with their own error.
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { patientAddedPayload } from '../../test/helpers/patient-added';
import { AppointmentTopic } from '../features/appointments/appointments.events';
import type { Tx } from './transactions';

/** Resolves once `count` parties have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === count) release();
    return all;
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('Transactions.run on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it.each(['awaited', 'alongside'] as const)(
    'runs a transaction again when PostgreSQL aborts it for a deadlock (second lock %s), and both writes commit their events once',
    async (secondLock) => {
      const [a, b] = [randomUUID(), randomUUID()];
      const streamA = `test-deadlock:${a}`;
      const streamB = `test-deadlock:${b}`;
      const bothHoldTheirFirstLock = barrier(2);
      const attempts = { first: 0, second: 0 };
      // Each locks one stream's counter row, waits until the other holds its own, then locks the
      // other's: a deadlock PostgreSQL breaks by aborting one of them. Then each emits to both.
      const LOCK_COUNTER = {
        name: 'test_lock_counter',
        text: 'INSERT INTO event_streams AS s (stream, last_seq) VALUES ($1, 0) ON CONFLICT (stream) DO UPDATE SET last_seq = s.last_seq',
      };
      // The one run again waits for the other to commit first: PostgreSQL does not queue row
      // locks, so it could otherwise take the other's second row before that one wakes up, and
      // deadlock again (Transactions.run pauses first to make that rare, not impossible).
      const committed = { first: deferred(), second: deferred() };
      const work = async (tx: Tx, name: 'first' | 'second', own: string, other: string, doctorId: string) => {
        attempts[name] += 1;
        if (attempts[name] > 1) await committed[name === 'first' ? 'second' : 'first'].promise;
        await tx.query(LOCK_COUNTER, [own]);
        if (attempts[name] === 1) await bothHoldTheirFirstLock();
        // Alongside, the deadlock hits that statement while the events' statement behind it only
        // hears that the transaction was aborted: the deadlock must still be what is reported.
        if (secondLock === 'awaited') await tx.query(LOCK_COUNTER, [other]);
        else tx.alongside(tx.query(LOCK_COUNTER, [other]));
        tx.emit(own, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId));
        tx.emit(other, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId));
        return name;
      };
      const write = async (name: 'first' | 'second', own: string, other: string, doctorId: string) => {
        const result = await server.services.transactions.run((tx) => work(tx, name, own, other, doctorId));
        committed[name].resolve();
        return result;
      };

      await expect(Promise.all([write('first', streamA, streamB, a), write('second', streamB, streamA, b)])).resolves.toEqual([
        'first',
        'second',
      ]);
      expect(attempts.first + attempts.second).toBe(3); // exactly one of them was run again

      const rows = await server.database.prisma.event.findMany({
        where: { stream: { in: [streamA, streamB] } },
        orderBy: [{ stream: 'asc' }, { seq: 'asc' }],
      });
      const seqs = (stream: string) => rows.filter((row) => row.stream === stream).map((row) => Number(row.seq));
      expect(seqs(streamA)).toEqual([1, 2]);
      expect(seqs(streamB)).toEqual([1, 2]);
      await server.dispatcher.idle();
      expect(await server.database.prisma.event.count({ where: { stream: { in: [streamA, streamB] }, publishedAt: null } })).toBe(0);
    },
  );

  it('fails the whole transaction, events included, with the error of a write it did not wait for', async () => {
    const doctorId = randomUUID();
    const stream = `test-alongside:${doctorId}`;
    const DIVIDE = { name: 'test_divide', text: 'SELECT 1 / $1::int AS quotient' };
    const failed = server.services.transactions.run(async (tx) => {
      tx.alongside(tx.query(DIVIDE, [0]));
      tx.emit(stream, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId));
    });
    // 22012 division_by_zero, not 25P02 (the events' statement behind it in the same round trip).
    await expect(failed).rejects.toMatchObject({ code: '22012' });
    expect(await server.database.prisma.event.count({ where: { stream } })).toBe(0);
    // Likewise when the work goes on and awaits a statement of its own, which only hears "aborted".
    const awaitedBehind = server.services.transactions.run(async (tx) => {
      tx.alongside(tx.query(DIVIDE, [0]));
      await tx.query(DIVIDE, [1]);
    });
    await expect(awaitedBehind).rejects.toMatchObject({ code: '22012' });

    const committed = await server.services.transactions.run(async (tx) => {
      tx.alongside(tx.query(DIVIDE, [1]));
      tx.emit(stream, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId));
      return 'done';
    });
    expect(committed).toBe('done');
    expect(await server.database.prisma.event.count({ where: { stream } })).toBe(1);
  });

  it("commits a tap's last writes with the events, or fails all of it with their own error", async () => {
    const doctorId = randomUUID();
    const stream = `test-tap:${doctorId}`;
    const DIVIDE = { name: 'test_divide', text: 'SELECT 1 / $1::int AS quotient' };
    let divisor = 0;
    // The tap of this test only: other tests' events (the server's own tap runs too) pass untouched.
    server.services.transactions.addTap({
      inTransaction: (_tx, events) =>
        Promise.resolve(events.some((event) => event.stream === stream) ? [{ statement: DIVIDE, values: [divisor] }] : []),
    });
    const emit = () =>
      server.services.transactions.run((tx) => {
        tx.emit(stream, AppointmentTopic.PatientAdded, (seq) => patientAddedPayload(seq, doctorId));
        return Promise.resolve('done');
      });
    // 22012 division_by_zero from the statement that went with COMMIT, not "not committed".
    await expect(emit()).rejects.toMatchObject({ code: '22012' });
    expect(await server.database.prisma.event.count({ where: { stream } })).toBe(0);
    divisor = 1;
    await expect(emit()).resolves.toBe('done');
    expect(await server.database.prisma.event.count({ where: { stream } })).toBe(1);
  });
});
