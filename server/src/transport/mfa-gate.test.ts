import { parse } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import { internalViewer } from '../accounts/viewer';
import { mfaGateRefusal } from './mfa-gate';

const pending: Viewer = { ...internalViewer('00000000-0000-0000-0000-000000000001', 'DOCTOR'), secondFactorMissing: true };
const enrolled: Viewer = { ...pending, secondFactorMissing: false };
const codeOf = (query: string, viewer: Viewer = pending) => mfaGateRefusal(viewer, parse(query))?.extensions['code'];

describe('the MFA gate', () => {
  it('lets an account without its required second factor see itself, enroll, renew and sign out', () => {
    expect(codeOf('{ me { id mfaEnabled } }')).toBeUndefined();
    expect(codeOf('mutation { startMfaEnrollment { secret } }')).toBeUndefined();
    expect(codeOf('mutation ($c: String!) { confirmMfaEnrollment(code: $c) }')).toBeUndefined();
    expect(codeOf('mutation { refreshToken { token } logout }')).toBeUndefined();
  });

  it('refuses the whole operation with MFA_REQUIRED when any root field is not an enrollment one', () => {
    expect(codeOf('{ me { id } myPatients { id } }')).toBe('MFA_REQUIRED');
    expect(codeOf('subscription { patientAdded(doctorId: "x") { seq } }')).toBe('MFA_REQUIRED');
    expect(codeOf('mutation { changePassword(currentPassword: "a", newPassword: "b") { token } }')).toBe('MFA_REQUIRED');
  });

  it('looks through fragments at the root, so a field cannot hide in one', () => {
    expect(codeOf('query { ...Root } fragment Root on Query { myPatients { id } }')).toBe('MFA_REQUIRED');
    expect(codeOf('query { ... on Query { myPatients { id } } }')).toBe('MFA_REQUIRED');
    expect(codeOf('query { ...Root } fragment Root on Query { me { id } }')).toBeUndefined();
  });

  it('stays out of the way of accounts with a second factor, or whose role needs none', () => {
    expect(codeOf('{ myPatients { id } }', enrolled)).toBeUndefined();
    expect(mfaGateRefusal(undefined, parse('{ myPatients { id } }'))).toBeUndefined();
  });
});
