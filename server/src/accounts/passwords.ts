import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost N as a power of two (PASSWORD_HASH_COST): 2^15 by default, 2^17 at most (OWASP's
 * recommendation, 128 MB per hash with r = 8). The configuration declares the same bounds, and
 * refuses less than the default in production (platform/config/schema.ts).
 */
export const PASSWORD_HASH_COST = { min: 10, default: 15, max: 17 } as const;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** scrypt needs 128 * N * r bytes; leave headroom. */
const maxMemoryFor = (n: number, r: number): number => 256 * n * r;

function derive(
  password: string,
  salt: Buffer,
  params: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...params, maxmem: maxMemoryFor(params.N, params.r) }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes new passwords (registration, a password change, the bootstrap admin) with scrypt at the
 * configured cost. Each hash carries its parameters (`scrypt$N$r$p$salt$hash`, base64url parts), so
 * a raised cost applies to new hashes while every stored one still verifies.
 */
export class PasswordHasher {
  private readonly params: { N: number; r: number; p: number };
  /** Made at start, as before the cost was a setting: the first unknown email takes no longer than the next. */
  private readonly dummy: Promise<string>;

  constructor(cost: number) {
    if (!Number.isInteger(cost) || cost < PASSWORD_HASH_COST.min || cost > PASSWORD_HASH_COST.max) {
      throw new Error(`scrypt cost must be an integer from ${PASSWORD_HASH_COST.min} to ${PASSWORD_HASH_COST.max}, got ${cost}`);
    }
    this.params = { N: 2 ** cost, r: R, p: P };
    this.dummy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.params, KEY_LENGTH);
    const { N, r, p } = this.params;
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** A hash of a random password at this cost, checked when the email is unknown so both failures take the same time. */
  dummyHash(): Promise<string> {
    return this.dummy;
  }
}

/**
 * Checks a password against a stored hash in constant time; false for any malformed hash, and for
 * parameters beyond what this server would ever write (a hash that would take gigabytes to check).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.N > 2 ** PASSWORD_HASH_COST.max || params.r !== R || params.p !== P) return false;
  const expected = Buffer.from(keyText, 'base64url');
  if (expected.length === 0 || expected.length > 64) return false;
  const actual = await derive(password, Buffer.from(saltText, 'base64url'), params, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
