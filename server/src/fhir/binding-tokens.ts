import { createHmac } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { Role } from '../generated/prisma/enums';
import type { Clock } from '../platform/clock';

/** How long a binding token may be presented on the socket: it is meant for the bind that follows at once. */
export const BINDING_TOKEN_TTL_SECONDS = 60;

const ISSUER = 'careline';
/** Never an access token: a binding token only binds a socket to one Subscription, and an access token is refused here. */
const AUDIENCE = 'careline:fhir-ws-binding';
const ALGORITHM = 'HS256';

/** Who a binding token speaks for, and the one Subscription it binds to. */
export interface BindingClaims {
  readonly userId: string;
  readonly role: Role;
  readonly sessionId: string;
  readonly subscriptionId: string;
}

/**
 * The tokens of `$get-ws-binding-token`: signed (HS256) under a key derived from JWT_SECRET for
 * this purpose alone, so any instance of a deployment verifies them, and neither kind of token is
 * accepted as the other. They carry the session, which is checked again (live, same user) at
 * the bind.
 */
export class BindingTokens {
  private readonly key: Uint8Array;

  constructor(
    jwtSecret: string,
    private readonly clock: Clock,
  ) {
    this.key = new Uint8Array(createHmac('sha256', jwtSecret).update('careline fhir websocket binding tokens').digest());
  }

  /** A token for this Subscription and session, and when it stops being accepted. */
  async sign(claims: BindingClaims): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const expiresAt = now + BINDING_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role: claims.role, sid: claims.sessionId, subscription: claims.subscriptionId })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The claims of a valid, unexpired binding token; undefined for anything else (never throws). */
  async verify(token: string): Promise<BindingClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock(),
      });
      const role = Object.values(Role).find((known) => known === payload['role']);
      const sessionId = payload['sid'];
      const subscriptionId = payload['subscription'];
      if (!role || typeof payload.sub !== 'string' || typeof sessionId !== 'string' || typeof subscriptionId !== 'string') return undefined;
      return { userId: payload.sub, role, sessionId, subscriptionId };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  }
}
