import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Clock } from '../platform/clock';
import { resealColumn, type DataCipher, type ResealOutcome } from '../platform/data-cipher';
import type { Logger } from '../platform/logger';
import type { Sql } from '../platform/sql';
import {
  acceptTimeStep,
  confirmEnrollment,
  credentialOf,
  deleteSecondFactor,
  mfaEnabled,
  resealSecret,
  secretsPage,
  spendRecoveryCode,
  storePendingEnrollment,
  unusedRecoveryCodes,
} from './mfa.sql';

/** How many single-use recovery codes an enrollment gives. */
export const RECOVERY_CODE_COUNT = 10;
/** Characters of a recovery code (RFC 4648 base32: 5 bits each, so 50 random bits), shown as two groups of five. */
const RECOVERY_CODE_LENGTH = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/**
 * Clock drift accepted either side of now, in seconds: one 30-second step (RFC 6238 §5.2
 * recommends at most one step of network delay). A code is accepted once (its step is remembered).
 */
const DRIFT_SECONDS = 30;

/** What a new enrollment shows its owner once: the secret (base32), its otpauth:// URL, the recovery codes. */
export interface Enrollment {
  readonly secret: string;
  readonly otpauthUrl: string;
  readonly recoveryCodes: readonly string[];
}

/** How a second factor was proven. */
export type SecondFactorProof = 'totp' | 'recoveryCode';

/**
 * An account's TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30 s, as every authenticator
 * app reads an otpauth:// URL), on otplib. The secret is sealed with DATA_ENCRYPTION_KEY before
 * it is stored (bound to the account: a sealed secret copied to another row does not open), an
 * enrollment is pending until a code from it is shown, each TOTP step is accepted once, and
 * recovery codes are single use and stored as digests.
 */
export class SecondFactor {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: DataCipher,
    private readonly clock: Clock,
    /** The name an authenticator app shows beside the account ("CareLine"). */
    private readonly issuer: string,
  ) {}

  /** Whether the account's MFA is on. */
  isEnabled(userId: string): Promise<boolean> {
    return mfaEnabled(this.sql, userId);
  }

  /** How many recovery codes the account has left. */
  recoveryCodesLeft(userId: string): Promise<number> {
    return unusedRecoveryCodes(this.sql, userId);
  }

  /**
   * A new pending enrollment in the caller's transaction (replacing an earlier pending one), or
   * null when the account's MFA is already on.
   */
  async startEnrollment(tx: Sql, account: { id: string; email: string }): Promise<Enrollment | null> {
    const secret = generateSecret();
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const stored = await storePendingEnrollment(tx, {
      userId: account.id,
      secretSealed: this.cipher.seal(secret, sealingContext(account.id)),
      recoveryCodeHashes: recoveryCodes.map(recoveryCodeHash),
      at: this.clock(),
    });
    if (!stored) return null;
    return { secret, otpauthUrl: generateURI({ issuer: this.issuer, label: account.email, secret }), recoveryCodes };
  }

  /**
   * Turns a pending enrollment on when `code` is a current TOTP code of its secret, in the
   * caller's transaction: 'confirmed', 'wrongCode', or 'notPending' (nothing to confirm).
   */
  async confirmEnrollment(tx: Sql, userId: string, code: string): Promise<'confirmed' | 'wrongCode' | 'notPending'> {
    const credential = await credentialOf(tx, userId);
    if (!credential || credential.confirmedAt) return 'notPending';
    const step = await this.matchingStep(userId, credential.secretSealed, code, null);
    if (step === null) return 'wrongCode';
    return (await confirmEnrollment(tx, userId, this.clock(), step)) ? 'confirmed' : 'notPending';
  }

  /**
   * Checks a second factor of an account whose MFA is on: a current TOTP code (never one already
   * accepted) or an unused recovery code (spent by this call). null: wrong, reused, or MFA is off.
   */
  async verify(userId: string, otp: string): Promise<SecondFactorProof | null> {
    const normalized = otp.replace(/[\s-]/g, '').toUpperCase();
    if (/^\d{6}$/.test(normalized)) {
      const credential = await credentialOf(this.sql, userId);
      if (!credential?.confirmedAt) return null;
      const step = await this.matchingStep(userId, credential.secretSealed, normalized, credential.lastTimeStep);
      return step !== null && (await acceptTimeStep(this.sql, userId, step)) ? 'totp' : null;
    }
    if (normalized.length !== RECOVERY_CODE_LENGTH) return null;
    return (await spendRecoveryCode(this.sql, userId, recoveryCodeHash(normalized), this.clock())) ? 'recoveryCode' : null;
  }

  /** Turns the account's MFA off (secret and recovery codes deleted) in the caller's transaction. */
  async disable(tx: Sql, userId: string): Promise<boolean> {
    return deleteSecondFactor(tx, userId);
  }

  /** The time step `code` is valid for now (see totpStep), or null. */
  private async matchingStep(userId: string, secretSealed: string, code: string, after: number | null): Promise<number | null> {
    const secret = this.cipher.open(secretSealed, sealingContext(userId));
    return totpStep(secret, code, Math.floor(this.clock().getTime() / 1000), after);
  }
}

/**
 * The RFC 6238 time step (SHA-1, 6 digits, 30 s) at which `code` is valid for the base32 `secret`
 * at `epochSeconds`, one step of drift either side, and later than `after` when given; null when
 * it is not.
 */
export async function totpStep(secret: string, code: string, epochSeconds: number, after: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: epochSeconds,
    epochTolerance: DRIFT_SECONDS,
    ...(after === null ? {} : { afterTimeStep: after }),
  });
  // The functional API's result also covers HOTP; a TOTP match carries its step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * After a DATA_ENCRYPTION_KEY rotation: seals under the current key every TOTP secret sealed under
 * a previous one (each server start, and `npm run admin -- reseal-secrets`), through the same pass
 * as webhook secrets (platform/data-cipher.ts resealColumn), a new enrollment meanwhile winning.
 * Until it has run, a previous key must stay in DATA_ENCRYPTION_PREVIOUS_KEYS or those accounts
 * cannot give a code. Unreadable ones are reported.
 */
export async function resealSecondFactorSecrets(sql: Sql, cipher: DataCipher, logger?: Logger): Promise<ResealOutcome> {
  const { resealed, unreadable } = await resealColumn(cipher, {
    page: async (afterId, limit) =>
      (await secretsPage(sql, afterId, limit)).map(({ userId, secretSealed }) => ({ id: userId, stored: secretSealed })),
    contextOf: sealingContext,
    // TOTP secrets were sealed from the first: a plaintext one would be an edited row.
    plaintext: 'unreadable',
    write: (userId, previous, next) => resealSecret(sql, userId, previous, next),
  });
  if (resealed > 0) logger?.info({ resealed }, 'TOTP secrets sealed under the current DATA_ENCRYPTION_KEY');
  if (unreadable.length > 0) {
    logger?.error(
      { accounts: unreadable },
      'TOTP secrets that no data key opens: these accounts cannot give a code until the key that sealed them is in DATA_ENCRYPTION_PREVIOUS_KEYS (or the operator runs reset-mfa)',
    );
  }
  return { resealed, unreadable };
}

/** What a sealed secret is bound to: its account (a sealed value moved to another row does not open). */
function sealingContext(userId: string): string {
  return `mfa_credentials.secret:${userId}`;
}

/** A new recovery code, "ABCDE-FGH23" (50 random bits). */
function newRecoveryCode(): string {
  const chars = Array.from({ length: RECOVERY_CODE_LENGTH }, () => BASE32[randomInt(BASE32.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** The stored digest of a recovery code, as typed or as shown (spaces, dashes and case ignored). */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}
