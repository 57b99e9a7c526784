import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DataCipher } from '../../platform/data-cipher';
import type { Clock } from '../../platform/clock';
import type { SqlDatabase } from '../../platform/sql';
import { signingKeys } from './oauth-records.sql';

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
  const sealed = await sql.transaction(
    (tx) =>
      signingKeys(
        tx,
        () => {
          const kid = randomUUID();
          const jwk = {
            ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
            kid,
            use: 'sig',
            alg: 'RS256',
          };
          return { kid, sealed: cipher.seal(JSON.stringify(jwk), sealContext(kid)) };
        },
        clock(),
      ),
    { timeoutMs: 30_000 },
  );
  const jwks = sealed.map((key) => PrivateJwk.parse(JSON.parse(cipher.open(key.sealed, sealContext(key.kid)))));
  const cookieKeys = jwks.map((jwk) => createHash('sha256').update(`careline-oauth-cookies:${jwk.d}`).digest('base64url'));
  return { jwks, cookieKeys };
}
