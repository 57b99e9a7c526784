// Secrets the server must read back (webhook signing secrets, TOTP secrets) are stored sealed:
// AES-256-GCM under DATA_ENCRYPTION_KEY, which never enters the database, so a copy of the database
// (a backup, a read replica, an SQL injection) does not give them away. Each sealed value names its
// key by a fingerprint, so after a rotation the rows still sealed under an old key can be found and
// re-sealed without storing any key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface DataCipher {
  /** AES-256-GCM under the current key; `context` (e.g. 'webhook_endpoints.secret:<id>') is bound as associated data. */
  seal(plaintext: string, context: string): string;
  /** Opens a value sealed under the current or a previous key; throws on tampering, a wrong context or an unknown key. */
  open(sealed: string, context: string): string;
  /** True when `sealed` was sealed under a previous key (re-seal it). */
  isStale(sealed: string): boolean;
}

/** The length of a data key: AES-256. */
export const DATA_KEY_BYTES = 32;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// `v1.<keyId>.<iv>.<ciphertext+tag>`: keyId 8 hex characters, the rest base64url.
const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Why a sealed value was not opened. The message never repeats the value. */
export class SealedValueError extends Error {
  constructor(reason: string) {
    super(`sealed value refused: ${reason}`);
    this.name = 'SealedValueError';
  }
}

/** A key's public fingerprint: the first 8 hex characters of its SHA-256 (names the key, reveals nothing usable). */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** True when `value` has the sealed format (a plaintext stored before sealing does not). */
export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/**
 * A cipher over the current key (sealing, opening) and previous keys (opening only, during a
 * rotation). Refuses a key that is not 32 bytes, and two keys with the same fingerprint.
 */
export function createDataCipher(keys: { current: Buffer; previous: readonly Buffer[] }): DataCipher {
  const all = [keys.current, ...keys.previous];
  const byId = new Map<string, Buffer>();
  for (const key of all) {
    if (key.length !== DATA_KEY_BYTES) throw new Error(`a data encryption key must be ${DATA_KEY_BYTES} bytes (got ${key.length})`);
    const id = dataKeyId(key);
    // The same key twice is harmless (a rotation half done); two keys with one fingerprint are not.
    const known = byId.get(id);
    if (known !== undefined && !known.equals(key)) throw new Error(`two data encryption keys share the fingerprint ${id}`);
    // Copies: the caller's buffers may be reused or zeroed.
    if (known === undefined) byId.set(id, Buffer.from(key));
  }
  const currentId = dataKeyId(keys.current);
  const currentKey = byId.get(currentId) ?? Buffer.from(keys.current);

  const parse = (sealed: string) => {
    const match = SEALED.exec(sealed);
    if (!match) throw new SealedValueError(`not a ${VERSION} sealed value`);
    const [, keyId = '', iv = '', body = ''] = match;
    return { keyId, iv: Buffer.from(iv, 'base64url'), body: Buffer.from(body, 'base64url') };
  };

  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${currentId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const { keyId, iv, body } = parse(sealed);
      const key = byId.get(keyId);
      if (key === undefined) throw new SealedValueError(`sealed under an unknown key ${keyId} (set it in DATA_ENCRYPTION_PREVIOUS_KEYS)`);
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealedValueError('malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // GCM's tag check: an edited value, another context, or a key with a colliding fingerprint.
        throw new SealedValueError('it was altered or belongs to another context');
      }
    },
    isStale(sealed) {
      return parse(sealed).keyId !== currentId;
    },
  };
}

/** The cipher of DATA_ENCRYPTION_KEY and DATA_ENCRYPTION_PREVIOUS_KEYS (config.encryption: hex texts). */
export function dataCipherFromConfig(encryption: { readonly key: string; readonly previousKeys: readonly string[] }): DataCipher {
  return createDataCipher({
    current: Buffer.from(encryption.key, 'hex'),
    previous: encryption.previousKeys.map((key) => Buffer.from(key, 'hex')),
  });
}

/** One stored value of a column a re-seal pass walks: its row's id (a uuid) and the text stored. */
export interface StoredValue {
  readonly id: string;
  readonly stored: string;
}

/** What a re-seal pass did: values moved to the current key, and the ids of rows no key opens. */
export interface ResealOutcome {
  readonly resealed: number;
  readonly unreadable: readonly string[];
}

const RESEAL_PAGE = 200;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * After a key rotation (or for a column that held plaintext before sealing): seals under the
 * current key every value of a column that is plaintext (only when `plaintext` says the column may
 * hold it) or under a previous key, page by page in id order, each row written on its own by
 * `write(id, previous, next)`, which must replace the value only if it is still `previous` (a change
 * meanwhile wins). Values no key opens are left as they are and their ids returned. Idempotent.
 */
export async function resealColumn(
  cipher: DataCipher,
  column: {
    page(afterId: string, limit: number): Promise<readonly StoredValue[]>;
    contextOf(id: string): string;
    plaintext: 'allowed' | 'unreadable';
    write(id: string, previous: string, next: string): Promise<void>;
  },
): Promise<ResealOutcome> {
  let resealed = 0;
  const unreadable: string[] = [];
  let after = NIL_UUID;
  for (;;) {
    const page = await column.page(after, RESEAL_PAGE);
    for (const { id, stored } of page) {
      const sealed = isSealed(stored);
      if (sealed && !cipher.isStale(stored)) continue;
      let value: string;
      try {
        if (!sealed && column.plaintext === 'unreadable') throw new SealedValueError('it is not sealed');
        value = sealed ? cipher.open(stored, column.contextOf(id)) : stored;
      } catch {
        unreadable.push(id);
        continue;
      }
      await column.write(id, stored, cipher.seal(value, column.contextOf(id)));
      resealed += 1;
    }
    const last = page.at(-1);
    if (page.length < RESEAL_PAGE || last === undefined) break;
    after = last.id;
  }
  return { resealed, unreadable };
}
