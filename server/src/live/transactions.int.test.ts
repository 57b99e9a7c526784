// Transactions.run against real PostgreSQL: a write that PostgreSQL aborts for a deadlock is run
// again, and what it emits is written and published once, in a gap-free sequence.
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../test/helpers/test-server';
import { AppointmentTopic, type PatientAddedPayload } from '../features/appointments/appointments.events';
import type { Tx } from './transactions';

function payload(seq: number, doctorId: string): PatientAddedPayload {
  const startsAt = new Date(Date.now() + 86_400_000);
  return {
    seq,
    doctorId,
    firstVisit: false,
    patient: { id: randomUUID(), name: 'Deadlock', dateOfBirth: null },
    appointment: {
      id: randomUUID(),
      doctorId,
      patientId: randomUUID(),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 1_800_000).toISOString(),
      status: 'BOOKED',
      reason: null,
    },
  };
}

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

describe('Transactions.run on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('services');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('runs a transaction again when PostgreSQL aborts it for a deadlock, and both writes commit their events once', async () => {
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
    const work = async (tx: Tx, name: 'first' | 'second', own: string, other: string, doctorId: string) => {
      attempts[name] += 1;
      await tx.query(LOCK_COUNTER, [own]);
      if (attempts[name] === 1) await bothHoldTheirFirstLock();
      await tx.query(LOCK_COUNTER, [other]);
      tx.emit(own, AppointmentTopic.PatientAdded, (seq) => payload(seq, doctorId));
      tx.emit(other, AppointmentTopic.PatientAdded, (seq) => payload(seq, doctorId));
      return name;
    };
    const write = (name: 'first' | 'second', own: string, other: string, doctorId: string) =>
      server.services.transactions.run((tx) => work(tx, name, own, other, doctorId));

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
  });
});
