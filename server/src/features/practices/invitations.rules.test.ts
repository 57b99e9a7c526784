import { createHash } from 'node:crypto';
import { Role } from '../../generated/prisma/enums';
import { errorOf } from '../../../test/helpers/errors';
import { hashInvitationCode, invitationExpiry, isPlausibleCode, newInvitationCode, validateInvitation } from './invitations.rules';
import { isDesk, isStaffOf } from './practices.policy';

describe('invitation rules', () => {
  it('makes long random codes and stores their SHA-256 only', () => {
    const [a, b] = [newInvitationCode(), newInvitationCode()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(hashInvitationCode(a)).toBe(createHash('sha256').update(a).digest('hex'));
    expect(hashInvitationCode(` ${a} `)).toBe(hashInvitationCode(a));
    expect(isPlausibleCode('x'.repeat(201))).toBe(false);
    expect(isPlausibleCode('   ')).toBe(false);
  });

  it('normalises the email, invites patients but never as admins, and refuses bad emails, naming the field', () => {
    expect(validateInvitation({ practiceId: 'p', role: Role.STAFF, email: ' Desk@Clinic.Example ' })).toEqual({
      practiceId: 'p',
      role: 'STAFF',
      email: 'desk@clinic.example',
      admin: false,
    });
    expect(validateInvitation({ practiceId: 'p', role: Role.PATIENT, email: 'a@b.co' })).toMatchObject({ role: 'PATIENT', admin: false });
    expect(errorOf(() => validateInvitation({ practiceId: 'p', role: Role.PATIENT, email: 'a@b.co', admin: true }))).toEqual([
      'BAD_USER_INPUT',
      'admin',
    ]);
    expect(errorOf(() => validateInvitation({ practiceId: 'p', role: Role.DOCTOR, email: 'nobody' }))).toEqual(['BAD_USER_INPUT', 'email']);
  });

  it('expires after the configured time', () => {
    const now = new Date();
    expect(invitationExpiry(now, 7 * 86400).getTime() - now.getTime()).toBe(7 * 86_400_000);
  });
});

describe('practice roles', () => {
  it('counts staff and any admin of the practice as its desk, and only staff as its staff', () => {
    expect(isDesk({ practiceId: 'p', role: 'STAFF', admin: false }, 'p')).toBe(true);
    expect(isDesk({ practiceId: 'p', role: 'DOCTOR', admin: true }, 'p')).toBe(true);
    expect(isDesk({ practiceId: 'p', role: 'DOCTOR', admin: false }, 'p')).toBe(false);
    expect(isDesk({ practiceId: 'q', role: 'STAFF', admin: true }, 'p')).toBe(false);
    expect(isStaffOf({ practiceId: 'p', role: 'DOCTOR', admin: true }, 'p')).toBe(false);
    expect(isStaffOf(null, 'p')).toBe(false);
  });
});
