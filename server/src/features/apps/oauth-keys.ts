import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DataCipher } from '../../platform/data-cipher';
import type { Clock } from '../../platform/clock';
import type { SqlDatabase } from '../../platform/sql';
import { rotateSigningKey, signingKeys } from './oauth-records.sql';

/**
 * How long a retired signing key stays published in the JWKS: the longest life of anything signed
 * with it (ID tokens, 15 minutes; access tokens are opaque), with a margin for clocks and caches.
 */
export const RETIRED_KEY_PUBLISHED_MS = 60 * 60 * 1000;

/** How often a running server reads the signing keys again even without a rotation message (oauth-provider.ts). */
export const KEY_RELOAD_INTERVAL_MS = 60_000;

/** A private RSA JWK as the provider takes it (RS256: the ID token algorithm every OIDC client supports). */
const PrivateJwk = z.looseObject({
  kty: z.literal('RSA'),
  kid: z.string(),
  n: z.string(),
  e: z.string(),
  d: z.string(),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
});
export type PrivateJwk = z.infer<typeof PrivateJwk>;

const sealContext = (kid: string) => `oauth_signing_keys:${kid}`;

/**
 * The provider's signing keys and cookie keys, from the database: made once (the first instance
 * to start), then the same on every instance and after every restart, so tokens and sessions
 * outlive a deploy. Private keys are sealed under DATA_ENCRYPTION_KEY. The cookie keys are derived
 * from the newest signing key (one secret to keep, rotated with it).
 */
export async function loadSigningKeys(
  sql: SqlDatabase,
  cipher: DataCipher,
  clock: Clock,
): Promise<{ jwks: PrivateJwk[]; cookieKeys: string[] }> {
  const sealed = await sql.transaction((tx) => signingKeys(tx, () => newKey(cipher), clock(), RETIRED_KEY_PUBLISHED_MS), {
    timeoutMs: 30_000,
  });
  const jwks = sealed.map((key) => PrivateJwk.parse(JSON.parse(cipher.open(key.sealed, sealContext(key.kid)))));
  const cookieKeys = jwks.map((jwk) => createHash('sha256').update(`careline-oauth-cookies:${jwk.d}`).digest('base64url'));
  return { jwks, cookieKeys };
}

/** A new RS256 signing key, sealed under DATA_ENCRYPTION_KEY. */
function newKey(cipher: DataCipher): { kid: string; sealed: string } {
  const kid = randomUUID();
  const jwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid,
    use: 'sig',
    alg: 'RS256',
  };
  return { kid, sealed: cipher.seal(JSON.stringify(jwk), sealContext(kid)) };
}

/**
 * `npm run admin -- rotate-oauth-key`: a new signing key becomes current; the previous one is
 * retired but stays published in the JWKS for RETIRED_KEY_PUBLISHED_MS (tokens it signed still
 * verify), and keys retired longer ago are deleted. Running servers read the keys again when told
 * (the revocation channel's 'signingKeysRotated') or within KEY_RELOAD_INTERVAL_MS: no restart.
 */
export async function rotateSigningKeys(
  sql: SqlDatabase,
  cipher: DataCipher,
  clock: Clock,
): Promise<{ current: string; retired: string[]; dropped: string[] }> {
  return sql.transaction((tx) => rotateSigningKey(tx, () => newKey(cipher), clock(), RETIRED_KEY_PUBLISHED_MS), { timeoutMs: 30_000 });
}
