import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Role } from '../generated/prisma/enums';
import type { Config } from '../platform/config';

/** Who a valid token speaks for. Roles come from our own signature, never from the client. */
export interface TokenClaims {
  readonly userId: string;
  readonly role: Role;
  /** Seconds since the epoch when the token stops being valid. */
  readonly expiresAt: number;
}

const ISSUER = 'careline';
const ALGORITHM = 'HS256';
const ROLES: ReadonlySet<string> = new Set(Object.values(Role));
/** Verified tokens remembered (oldest forgotten first); a dashboard or client reuses one token for an hour. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies CareLine's access tokens (HS256 JWTs). */
export class TokenService {
  private readonly key: Uint8Array;
  // WebCrypto HMAC verification costs ~0.4 ms per call (an async job), about 4% of the server's CPU
  // under booking load. A token that verified once stays valid until its own expiry (HS256 tokens
  // cannot be revoked here), so a hit only needs the expiry check.
  private readonly verified = new Map<string, TokenClaims>();

  constructor(private readonly config: Pick<Config, 'jwtSecret' | 'jwtExpiresInSeconds'>) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  /** A token for this user, valid for JWT_EXPIRES_IN. */
  async sign(userId: string, role: Role): Promise<string> {
    return new SignJWT({ role })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.config.jwtExpiresInSeconds}s`)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token; undefined for anything else (never throws). */
  async verify(token: string): Promise<TokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt * 1000 > Date.now()) return known;
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
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], issuer: ISSUER });
      const role = payload['role'];
      if (typeof payload.sub !== 'string' || typeof role !== 'string' || !ROLES.has(role) || typeof payload.exp !== 'number') {
        return undefined;
      }
      return { userId: payload.sub, role: role as Role, expiresAt: payload.exp };
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
