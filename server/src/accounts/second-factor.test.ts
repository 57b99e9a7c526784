import { recoveryCodeHash, totpStep } from './second-factor';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" (base32 below); the RFC's 8-digit
// values, whose last 6 digits are what a 6-digit authenticator shows.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: ReadonlyArray<[epochSeconds: number, eightDigits: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP codes', () => {
  it.each(RFC_VECTORS)('accepts the RFC 6238 code at T=%i, at its own 30-second step', async (epoch, code) => {
    expect(await totpStep(RFC_SECRET, code.slice(2), epoch, null)).toBe(Math.floor(epoch / 30));
  });

  it('allows one step of clock drift either side, and no more', async () => {
    const code = '287082'; // step 1 (T = 30..59)
    expect(await totpStep(RFC_SECRET, code, 59 + 30, null)).toBe(1);
    expect(await totpStep(RFC_SECRET, code, 15, null)).toBe(1);
    expect(await totpStep(RFC_SECRET, code, 59 + 61, null)).toBeNull();
  });

  it('refuses a code of a step already accepted (or an earlier one), so a code works once', async () => {
    expect(await totpStep(RFC_SECRET, '287082', 59, 0)).toBe(1);
    expect(await totpStep(RFC_SECRET, '287082', 59, 1)).toBeNull();
    expect(await totpStep(RFC_SECRET, '287082', 59, 2)).toBeNull();
  });

  it('refuses what is not six digits', async () => {
    expect(await totpStep(RFC_SECRET, '94287082', 59, null)).toBeNull();
    expect(await totpStep(RFC_SECRET, '28708a', 59, null)).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are compared as shown or as typed: spaces, dashes and case do not matter', () => {
    expect(recoveryCodeHash('abcde-fgh23')).toBe(recoveryCodeHash('ABCDEFGH23'));
    expect(recoveryCodeHash(' ABCDE FGH23 ')).toBe(recoveryCodeHash('ABCDE-FGH23'));
    expect(recoveryCodeHash('ABCDE-FGH24')).not.toBe(recoveryCodeHash('ABCDE-FGH23'));
  });
});
