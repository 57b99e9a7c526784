import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Role } from '../generated/prisma/enums';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';

/** Who a valid token speaks for. Roles come from our own signature, never from the client. */
export interface TokenClaims {
  readonly userId: string;
  readonly role: Role;
  /** The sign-in this token belongs to (claim `sid`): revoking it ends the token at once (sessions.ts). */
  readonly sessionId: string;
  /** The session's token generation it was issued for (claim `gen`; refreshToken rotates it, sessions.ts). */
  readonly generation: number;
  /** Seconds since the epoch when the token stops being valid. */
  readonly expiresAt: number;
}

const ISSUER = 'careline';
const ALGORITHM = 'HS256';
const ROLES: readonly Role[] = Object.values(Role);

/** The Role a claim names, or undefined for anything else. */
function roleOf(value: unknown): Role | undefined {
  return ROLES.find((role) => role === value);
}
/** Verified tokens remembered (oldest forgotten first); a dashboard or client reuses one token for an hour. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies CareLine's access tokens (HS256 JWTs). */
export class TokenService {
  private readonly key: Uint8Array;
  // WebCrypto HMAC verification costs ~0.4 ms per call (an async job), about 4% of the server's CPU
  // under booking load. A token's signature that verified once stays valid until its own expiry,
  // so a hit only needs the expiry check; revocation is the session's business (sessions.ts).
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly config: Pick<Config['accounts'], 'jwtSecret' | 'jwtExpiresInSeconds'>,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  /** A token for this user's session, valid for JWT_EXPIRES_IN but never past `notAfter` (the session's own expiry). */
  async sign(userId: string, role: Role, sessionId: string, notAfter: Date, generation = 0): Promise<string> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const expiresAt = Math.min(now + this.config.jwtExpiresInSeconds, Math.floor(notAfter.getTime() / 1000));
    return new SignJWT({ role, sid: sessionId, gen: generation })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token; undefined for anything else (never throws). */
  async verify(token: string): Promise<TokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt * 1000 > this.clock().getTime()) return known;
      this.verified.delete(token);
      return undefined;
    }
    const claims = await this.verifySignature(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    return claims;
  }

  private async verifySignature(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], issuer: ISSUER, currentDate: this.clock() });
      const role = payload['role'];
      const sid = payload['sid'];
      const gen = payload['gen'] ?? 0;
      if (typeof payload.sub !== 'string' || typeof sid !== 'string' || typeof payload.exp !== 'number') return undefined;
      if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) return undefined;
      const knownRole = roleOf(role);
      if (!knownRole) return undefined;
      return { userId: payload.sub, role: knownRole, sessionId: sid, generation: gen, expiresAt: payload.exp };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return undefined;
      throw error;
    }
  }
}

/** The token of an `Authorization: Bearer <token>` value; undefined when absent or malformed. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
