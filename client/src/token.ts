/** What the dashboard reads from its own token: the session it belongs to and when it expires. */
export interface TokenClaims {
  readonly sessionId: string;
  readonly expiresAtMs: number;
}

/**
 * The `sid` and `exp` claims of a CareLine token, read without verifying it (the server does
 * that); null when the token does not look like one. Used to renew before expiry, and to keep one
 * Apollo client per sign-in across renewals.
 */
export function tokenClaims(token: string): TokenClaims | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const payload: unknown = JSON.parse(json);
    if (typeof payload !== 'object' || payload === null) return null;
    const sid = 'sid' in payload ? payload.sid : undefined;
    const exp = 'exp' in payload ? payload.exp : undefined;
    if (typeof sid !== 'string' || typeof exp !== 'number') return null;
    return { sessionId: sid, expiresAtMs: exp * 1000 };
  } catch {
    return null;
  }
}

/**
 * When to renew a token: two thirds into its remaining life, but at least 5 s before it expires
 * (never in the past), so a renewal that fails once has time for another try.
 */
export function renewalDelayMs(expiresAtMs: number, nowMs: number): number {
  const left = expiresAtMs - nowMs;
  return Math.max(0, Math.min((left * 2) / 3, left - 5_000));
}
