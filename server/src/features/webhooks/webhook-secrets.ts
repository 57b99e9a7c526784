// Endpoints' signing secrets are stored sealed with DATA_ENCRYPTION_KEY (platform/data-cipher.ts),
// bound to their endpoint's id: a copy of the database does not give them away, and a sealed
// secret copied onto another endpoint does not open. The server needs them in clear text to sign
// each delivery, so they are encrypted (not hashed).
//
// A migration cannot seal (the key is not in the database): rows written before sealing hold the
// plaintext, and rows sealed under a previous key (after a rotation) are stale. Every start, and
// `npm run admin -- reseal-secrets`, seals both under the current key (resealWebhookSecrets);
// meanwhile openWebhookSecret reads all three.
import type { Logger } from '../../platform/logger';
import { isSealed, resealColumn, type DataCipher, type ResealOutcome } from '../../platform/data-cipher';
import type { SqlDatabase } from '../../platform/sql';
import { endpointSecretsPage, resealSecret } from './webhooks.sql';

/** The associated data a secret is sealed with: its column and its endpoint. */
function contextOf(endpointId: string): string {
  return `webhook_endpoints.secret:${endpointId}`;
}

/** The secret as stored for this endpoint. */
export function sealWebhookSecret(cipher: DataCipher, endpointId: string, secret: string): string {
  return cipher.seal(secret, contextOf(endpointId));
}

/**
 * The secret deliveries are signed with. A plaintext stored before sealing is returned as is
 * (the next start re-seals it); a value under an unknown key, or altered, throws.
 */
export function openWebhookSecret(cipher: DataCipher, endpointId: string, stored: string): string {
  return isSealed(stored) ? cipher.open(stored, contextOf(endpointId)) : stored;
}

/**
 * Seals under the current key every endpoint secret still in plaintext or under a previous key
 * (platform/data-cipher.ts resealColumn: page by page, a rotation of that secret meanwhile wins).
 * Idempotent; safe on several instances at once. Unreadable secrets are left as they are and reported.
 */
export async function resealWebhookSecrets(sql: SqlDatabase, cipher: DataCipher, logger?: Logger): Promise<ResealOutcome> {
  const { resealed, unreadable } = await resealColumn(cipher, {
    page: async (afterId, limit) => (await endpointSecretsPage(sql, afterId, limit)).map(({ id, secret }) => ({ id, stored: secret })),
    contextOf,
    plaintext: 'allowed',
    write: (id, previous, next) => resealSecret(sql, id, previous, next),
  });
  if (resealed > 0) logger?.info({ resealed }, 'webhook secrets sealed under the current DATA_ENCRYPTION_KEY');
  if (unreadable.length > 0) {
    logger?.error(
      { endpoints: unreadable },
      'webhook secrets that no data key opens: their deliveries fail until the key that sealed them is in DATA_ENCRYPTION_PREVIOUS_KEYS (or the endpoint gets a new secret)',
    );
  }
  return { resealed, unreadable };
}
