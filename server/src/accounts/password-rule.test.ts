import { ErrorCode } from '../platform/errors';
import { commonPasswordListSize, PasswordRule } from './password-rule';

const rule = new PasswordRule(12);
const owner = { email: 'jane.doe@example.org', name: 'Jane Doe' };

describe('the password rule', () => {
  it.each([
    ['correct horse battery staple'],
    ['Correct-Horse-42-Staple'],
    ['violet tractor under moon'],
    ['tr0ub4dor and 3 cats'],
    ['zebra quilt 7 lantern'],
  ])('accepts %j', (password) => {
    expect(rule.weakness(password, owner)).toBeUndefined();
  });

  it.each([
    ['', /must not be blank/],
    ['            ', /must not be blank/],
    ['eleven char', /at least 12 characters/],
    ['p'.repeat(257), /at most 256 characters/],
    ['Password123!', /most common passwords/],
    ['password1234', /most common passwords/],
    ['iloveyou2024!!', /most common passwords/],
    ['aaaaaaaaaaaa', /repetition/],
    ['abcabcabcabc', /repetition/],
    ['ab12ab12ab12', /repetition/],
    ['1234567890ab', /sequence/],
    ['abcdefghijkl', /sequence/],
    ['qwertyuiop!!', /sequence/],
    ['9876543210zz', /sequence/],
    ['my jane.doe password', /email address's name/],
    ['janedoe rides bikes', /email address's name/],
  ])('refuses %j', (password, reason) => {
    expect(rule.weakness(password, owner)).toMatch(reason);
  });

  it("refuses the person's name", () => {
    expect(rule.weakness('purple Dolores forever', { email: 'jd@example.org', name: 'Dolores Haze' })).toMatch(/your name/);
  });

  it('follows PASSWORD_MIN_LENGTH', () => {
    expect(new PasswordRule(20).weakness('violet tractor moon', owner)).toMatch(/at least 20 characters/);
    expect(new PasswordRule(8).weakness('violet tractor moon', owner)).toBeUndefined();
  });

  it('refuses with BAD_USER_INPUT naming the field and the reason', () => {
    expect(() => rule.check('aaaaaaaaaaaa', owner, 'newPassword')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^newPassword is a repetition/),
        extensions: { code: ErrorCode.BadUserInput, field: 'newPassword' },
      }),
    );
  });

  it('checks against a shipped list of at least 100,000 passwords', () => {
    expect(commonPasswordListSize()).toBeGreaterThanOrEqual(100_000);
  });
});
