import { createHash } from 'node:crypto';
import {
  canonicalText,
  chainedMiddle,
  checkPartition,
  describeBreak,
  GENESIS_HASH,
  hashOf,
  keyedHashOf,
  type StoredRow,
} from './audit-chain';

const KEY = 'unit-test-audit-key-of-at-least-32-characters';

const PATIENT = '4f1c2b7e-8a3d-4c5e-9f60-1a2b3c4d5e6f';

/** A chain of `length` rows, keyed under KEY from `keyedFromSeq` on (1: every row). */
function chain(length: number, keyedFromSeq = 1): StoredRow[] {
  const rows: StoredRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const content = {
      partition: 7,
      seq,
      at: new Date(1_800_000_000_000 + seq * 1000),
      actorUserId: 'a1c2b7e0-8a3d-4c5e-9f60-1a2b3c4d5e6f',
      actorRole: 'DOCTOR',
      actorPracticeId: null,
      action: 'vitals.read',
      patientId: PATIENT,
      objectType: 'vitals',
      objectId: null,
      requestId: `request-${seq}`,
      clientAddress: '10.0.0.1',
      outcome: 'SUCCESS',
      userAgent: null,
      prevHash,
    };
    const hash = seq >= keyedFromSeq ? keyedHashOf(content, KEY) : hashOf(content);
    rows.push({ ...content, id: String(100 + seq), hash });
    prevHash = hash;
  }
  return rows;
}

const bounds = (rows: StoredRow[], keyedFromSeq = 1) => ({
  partition: 7,
  keyedFromSeq,
  startSeq: 0,
  startHash: GENESIS_HASH,
  headSeq: rows.length,
  headHash: rows.at(-1)?.hash ?? GENESIS_HASH,
});

describe('hashOf', () => {
  it('hashes the JSON array of the row in column order, as every chain stored so far was hashed', () => {
    const [row] = chain(1);
    const {
      partition,
      seq,
      at,
      actorUserId,
      actorRole,
      actorPracticeId,
      action,
      patientId,
      objectType,
      objectId,
      requestId,
      clientAddress,
      outcome,
      prevHash,
    } = row!;
    const stored = JSON.stringify([
      partition,
      seq,
      at.toISOString(),
      actorUserId,
      actorRole,
      actorPracticeId,
      action,
      patientId,
      objectType,
      objectId,
      requestId,
      clientAddress,
      outcome,
      prevHash,
    ]);
    expect(hashOf(row!)).toBe(createHash('sha256').update(stored).digest('hex'));
  });

  it('builds from parts the database can join as text (numbers, the escaped middle, a hex predecessor)', () => {
    const row = { ...chain(1)[0]!, requestId: 'quote " backslash \\ newline \n tab \t é 😀', clientAddress: null };
    const sqlStyle = '[' + String(row.partition) + ',' + String(row.seq) + ',' + chainedMiddle(row) + ',"' + row.prevHash + '"]';
    expect(canonicalText(row.partition, row.seq, chainedMiddle(row), row.prevHash)).toBe(sqlStyle);
    expect(JSON.parse(sqlStyle)).toHaveLength(14);
  });

  it('adds a user agent after the outcome, and hashes a row without one as rows were hashed before the column existed', () => {
    const [row] = chain(1);
    const withAgent = { ...row!, userAgent: 'Mozilla/5.0 "quoted"' };
    const middle = chainedMiddle(withAgent);
    expect(middle.endsWith(',"SUCCESS","Mozilla/5.0 \\"quoted\\""')).toBe(true);
    expect(JSON.parse(canonicalText(1, 1, middle, GENESIS_HASH))).toHaveLength(15);
    expect(chainedMiddle(row!).endsWith(',"SUCCESS"')).toBe(true);
  });

  it('covers the app a row names, never confusing it with a user agent, and hashes a row without one as before', () => {
    const [row] = chain(1);
    const APP = 'b2c3d4e5-8a3d-4c5e-9f60-1a2b3c4d5e6f';
    const viaApp = { ...row!, appId: APP };
    expect(chainedMiddle(viaApp).endsWith(`,"SUCCESS",null,"${APP}"`)).toBe(true);
    expect(keyedHashOf(viaApp, KEY)).not.toBe(keyedHashOf({ ...row!, userAgent: APP }, KEY));
    expect(keyedHashOf({ ...row!, appId: null }, KEY)).toBe(row!.hash);
    expect(
      checkPartition(
        [{ ...viaApp, hash: keyedHashOf(viaApp, KEY) }],
        { partition: 7, startSeq: 0, startHash: GENESIS_HASH, headSeq: 1, headHash: keyedHashOf(viaApp, KEY), keyedFromSeq: 1 },
        KEY,
      ),
    ).toBeUndefined();
    // Changing the app of a stored row breaks its hash.
    expect(
      checkPartition(
        [{ ...viaApp, appId: null, hash: keyedHashOf(viaApp, KEY) }],
        { partition: 7, startSeq: 0, startHash: GENESIS_HASH, headSeq: 1, headHash: keyedHashOf(viaApp, KEY), keyedFromSeq: 1 },
        KEY,
      )?.problem,
    ).toBe('altered');
  });
});

describe('checkPartition', () => {
  it('accepts an intact chain and an empty one', () => {
    const rows = chain(5);
    expect(checkPartition(rows, bounds(rows), KEY)).toBeUndefined();
    expect(checkPartition([], bounds([]), KEY)).toBeUndefined();
  });

  it('covers every column in the hash', () => {
    const [row] = chain(1);
    const changes = {
      partition: 8,
      seq: 2,
      at: new Date(0),
      actorUserId: null,
      actorRole: 'STAFF',
      actorPracticeId: PATIENT,
      action: 'x',
      patientId: null,
      objectType: 'record',
      objectId: 'o',
      requestId: 'r',
      clientAddress: '::1',
      outcome: 'DENIED',
      userAgent: 'Mozilla/5.0',
      prevHash: 'f'.repeat(64),
    };
    for (const [key, value] of Object.entries(changes)) expect([key, hashOf({ ...row!, [key]: value })]).not.toEqual([key, row!.hash]);
  });

  it('names an edited row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, outcome: 'DENIED' };
    expect(checkPartition(rows, bounds(chain(5)), KEY)).toEqual({ partition: 7, seq: 3, id: '103', problem: 'altered' });
  });

  it('names a deleted row by the seq that is missing', () => {
    const rows = chain(5);
    const head = bounds(rows);
    rows.splice(1, 1);
    expect(checkPartition(rows, head, KEY)).toEqual({ partition: 7, seq: 2, id: null, problem: 'missing' });
  });

  it('notices the newest rows deleted (the chain stops before its head)', () => {
    const rows = chain(5);
    expect(checkPartition(rows.slice(0, 3), bounds(rows), KEY)).toMatchObject({ seq: 4, problem: 'tail missing' });
  });

  it('names a row moved to another place with its seq rewritten and its hash recomputed', () => {
    const rows = chain(4);
    // An editor who knows the hash function renumbers rows 2 and 3 and rehashes them: the links break.
    const swapped = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3]!].map((row) => ({
      ...row,
      hash: keyedHashOf(row, KEY),
    }));
    expect(checkPartition(swapped, bounds(rows), KEY)).toMatchObject({ seq: 2, problem: 'out of order' });
  });

  it('names a chain recomputed with the unkeyed sha256 (the attack on the old chains) as recomputed', () => {
    const rows = chain(4);
    const recomputed: StoredRow[] = [];
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const edited = { ...row, prevHash, outcome: row.seq === 2 ? 'DENIED' : row.outcome };
      recomputed.push({ ...edited, hash: hashOf(edited) });
      prevHash = recomputed.at(-1)!.hash;
    }
    expect(checkPartition(recomputed, bounds(recomputed), KEY)).toMatchObject({ seq: 1, problem: 'recomputed' });
  });

  it('names a chain recomputed under another key as altered at its first row', () => {
    const rows = chain(3);
    const forged: StoredRow[] = [];
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const edited = { ...row, prevHash };
      forged.push({ ...edited, hash: keyedHashOf(edited, 'another-key-another-key-another-key!') });
      prevHash = forged.at(-1)!.hash;
    }
    expect(checkPartition(forged, bounds(forged), KEY)).toMatchObject({ seq: 1, problem: 'altered' });
  });

  it('names a row inserted into the chain (the rows after it renumbered) as inserted', () => {
    const rows = chain(4);
    const extra = { ...rows[1]!, id: '999', objectId: 'forged', prevHash: rows[0]!.hash };
    const withExtra = [rows[0]!, { ...extra, hash: hashOf(extra) }, ...rows.slice(1).map((row) => ({ ...row, seq: row.seq + 1 }))];
    expect(checkPartition(withExtra, { ...bounds(rows), headSeq: 5 }, KEY)).toEqual({
      partition: 7,
      seq: 2,
      id: '999',
      problem: 'inserted',
    });
  });

  it('names a row appended past the head as inserted', () => {
    const rows = chain(3);
    expect(checkPartition(chain(4), bounds(rows), KEY)).toMatchObject({ seq: 4, problem: 'inserted' });
  });

  it('checks the rows written before the key (below keyed_from_seq) with sha256, and keyed ones after', () => {
    const rows = chain(5, 3);
    expect(checkPartition(rows, bounds(rows, 3), KEY)).toBeUndefined();
    // Claiming the key started later passes a sha256 row off only if keyed_from_seq moves: verify pins it with checkpoints.
    expect(checkPartition(rows, bounds(rows, 2), KEY)).toMatchObject({ seq: 2, problem: 'recomputed' });
  });

  it('describes the break in one line naming the row', () => {
    expect(describeBreak({ partition: 7, seq: 3, id: '103', problem: 'altered' })).toBe(
      'audit chain broken in partition 7: row id 103 (seq 3) its content does not match its hash (edited, or hashed without AUDIT_KEY)',
    );
  });
});
