import { randomBytes } from 'node:crypto';
import { createDataCipher, dataKeyId, isSealed, resealColumn, SealedValueError } from './data-cipher';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const CONTEXT = 'webhook_endpoints.secret:6f1c';

/** `sealed` with the byte at `index` of its ciphertext flipped. */
function tampered(sealed: string, index: number): string {
  const [version, keyId, iv, body = ''] = sealed.split('.');
  const bytes = Buffer.from(body, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return [version, keyId, iv, bytes.toString('base64url')].join('.');
}

describe('createDataCipher', () => {
  it('opens what it sealed, in the versioned format naming the key by its fingerprint', () => {
    const cipher = createDataCipher({ current: NEW, previous: [] });
    const sealed = cipher.seal('whsec_päss', CONTEXT);
    expect(sealed).toMatch(new RegExp(`^v1\\.${dataKeyId(NEW)}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('whsec');
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed('whsec_päss')).toBe(false);
    expect(cipher.open(sealed, CONTEXT)).toBe('whsec_päss');
    expect(cipher.isStale(sealed)).toBe(false);
  });

  it('seals the same text differently each time (a fresh IV)', () => {
    const cipher = createDataCipher({ current: NEW, previous: [] });
    expect(cipher.seal('same', CONTEXT)).not.toBe(cipher.seal('same', CONTEXT));
  });

  it('refuses to open a value under another context (a secret moved to another row)', () => {
    const cipher = createDataCipher({ current: NEW, previous: [] });
    const sealed = cipher.seal('secret', CONTEXT);
    expect(() => cipher.open(sealed, 'webhook_endpoints.secret:other')).toThrow(SealedValueError);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const cipher = createDataCipher({ current: NEW, previous: [] });
    const sealed = cipher.seal('secret', CONTEXT);
    expect(() => cipher.open(tampered(sealed, 0), CONTEXT)).toThrow(/altered/);
    expect(() => cipher.open(tampered(sealed, 'secret'.length + 3), CONTEXT)).toThrow(/altered/);
    const [version, keyId, iv = '', body] = sealed.split('.');
    const otherIv = Buffer.from(iv, 'base64url');
    otherIv[0] = (otherIv[0] ?? 0) ^ 0x01;
    expect(() => cipher.open([version, keyId, otherIv.toString('base64url'), body].join('.'), CONTEXT)).toThrow(/altered/);
    expect(() => cipher.open(`${sealed.slice(0, -8)}`, CONTEXT)).toThrow(SealedValueError);
    expect(() => cipher.open('plaintext', CONTEXT)).toThrow(/not a v1 sealed value/);
  });

  it('opens a value sealed under a previous key and calls it stale, until it is re-sealed', () => {
    const before = createDataCipher({ current: OLD, previous: [] });
    const sealed = before.seal('secret', CONTEXT);
    const after = createDataCipher({ current: NEW, previous: [OLD] });
    expect(after.open(sealed, CONTEXT)).toBe('secret');
    expect(after.isStale(sealed)).toBe(true);
    const resealed = after.seal(after.open(sealed, CONTEXT), CONTEXT);
    expect(after.isStale(resealed)).toBe(false);
    expect(resealed.split('.')[1]).toBe(dataKeyId(NEW));
  });

  it('refuses a value sealed under a key it does not know, naming the key by its fingerprint only', () => {
    const sealed = createDataCipher({ current: OLD, previous: [] }).seal('secret', CONTEXT);
    const cipher = createDataCipher({ current: NEW, previous: [] });
    expect(() => cipher.open(sealed, CONTEXT)).toThrow(new RegExp(`unknown key ${dataKeyId(OLD)}`));
    expect(cipher.isStale(sealed)).toBe(true);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createDataCipher({ current: randomBytes(16), previous: [] })).toThrow(/must be 32 bytes/);
    expect(() => createDataCipher({ current: NEW, previous: [randomBytes(31)] })).toThrow(/must be 32 bytes/);
  });
});

describe('resealColumn', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const contextOf = (rowId: string) => `table.column:${rowId}`;

  it('moves plaintext (where allowed) and old-key values to the current key, page by page, and names what no key opens', async () => {
    const before = createDataCipher({ current: oldKey, previous: [] });
    const stranger = createDataCipher({ current: randomBytes(32), previous: [] });
    const column = new Map<string, string>();
    for (let n = 1; n <= 450; n += 1) column.set(id(n), before.seal(`secret ${n}`, contextOf(id(n))));
    column.set(id(451), 'plain secret');
    column.set(id(452), stranger.seal('lost', contextOf(id(452))));
    const cipher = createDataCipher({ current: newKey, previous: [oldKey] });
    const source = {
      page: async (afterId: string, limit: number) =>
        [...column]
          .filter(([rowId]) => rowId > afterId)
          .sort()
          .slice(0, limit)
          .map(([rowId, stored]) => ({ id: rowId, stored })),
      contextOf,
      write: async (rowId: string, previous: string, next: string) => {
        if (column.get(rowId) === previous) column.set(rowId, next);
      },
    };

    expect(await resealColumn(cipher, { ...source, plaintext: 'allowed' })).toEqual({ resealed: 451, unreadable: [id(452)] });
    const onlyNew = createDataCipher({ current: newKey, previous: [] });
    expect(onlyNew.open(column.get(id(7))!, contextOf(id(7)))).toBe('secret 7');
    expect(onlyNew.open(column.get(id(451))!, contextOf(id(451)))).toBe('plain secret');
    // A second pass has nothing left to do.
    expect(await resealColumn(cipher, { ...source, plaintext: 'allowed' })).toEqual({ resealed: 0, unreadable: [id(452)] });

    column.set(id(453), 'never sealed');
    expect((await resealColumn(cipher, { ...source, plaintext: 'unreadable' })).unreadable).toEqual([id(452), id(453)]);
    expect(column.get(id(453))).toBe('never sealed');
  });
});
