import { describe, expect, it } from 'vitest';
import { renewalDelayMs, tokenClaims } from './token';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokenClaims', () => {
  it('reads the session id and expiry of a token', () => {
    expect(tokenClaims(`${encode({ alg: 'HS256' })}.${encode({ sid: 's-1', exp: 1_900_000_000 })}.sig`)).toEqual({
      sessionId: 's-1',
      expiresAtMs: 1_900_000_000_000,
    });
  });

  it.each(['', 'not-a-token', `a.${encode({ exp: 1 })}.c`, 'a.%%%.c'])('gives null for %p', (token) => {
    expect(tokenClaims(token)).toBeNull();
  });
});

describe('renewalDelayMs', () => {
  it('renews two thirds into a 15-minute token', () => {
    expect(renewalDelayMs(900_000, 0)).toBe(600_000);
  });

  it('renews at least 5 s before expiry, and at once when that moment has passed', () => {
    expect(renewalDelayMs(12_000, 0)).toBe(7_000);
    expect(renewalDelayMs(3_000, 0)).toBe(0);
  });
});
