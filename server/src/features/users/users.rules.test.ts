import { ErrorCode } from '../../platform/errors';
import { Role } from '../../generated/prisma/enums';
import { isTimeZone } from '../../platform/time-zones';
import { normalizeEmail, validateRegistration } from './users.rules';

const NOW = new Date('2026-06-01T12:00:00Z');
const doctor = { email: 'Dr.Who@Example.org ', password: 'long enough pw', name: ' Dr Who ', role: Role.DOCTOR, specialty: 'Cardiology' };
const patient = { email: 'p@example.org', password: 'long enough pw', name: 'Pat', role: Role.PATIENT };

function failedField(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    expect(extensions['code']).toBe(ErrorCode.BadUserInput);
    return extensions['field'];
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('validateRegistration', () => {
  it("normalises the email and trims the name, leaving a doctor's unset zone to the practice", () => {
    expect(validateRegistration(doctor, NOW)).toMatchObject({
      email: 'dr.who@example.org',
      name: 'Dr Who',
      timeZone: null,
      specialty: 'Cardiology',
      invitationCode: null,
    });
  });

  it.each([
    ['an email without a domain', { ...patient, email: 'someone@' }, 'email'],
    ['a blank name', { ...patient, name: '   ' }, 'name'],
    ['a doctor without a specialty', { ...doctor, specialty: undefined }, 'specialty'],
    ['a doctor in an unknown time zone', { ...doctor, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a doctor with a date of birth', { ...doctor, dateOfBirth: new Date('1980-01-01') }, 'dateOfBirth'],
    ['a patient with a specialty', { ...patient, specialty: 'x' }, 'specialty'],
    ['a patient born in the future', { ...patient, dateOfBirth: new Date('2030-01-01') }, 'dateOfBirth'],
    ['a patient born before 1900', { ...patient, dateOfBirth: new Date('1850-01-01') }, 'dateOfBirth'],
    ['a staff member with a specialty', { ...patient, role: Role.STAFF, specialty: 'x' }, 'specialty'],
    ['a staff member with a date of birth', { ...patient, role: Role.STAFF, dateOfBirth: new Date('1980-01-01') }, 'dateOfBirth'],
  ])('rejects %s', (_name, request, field) => {
    expect(failedField(() => validateRegistration(request, NOW))).toBe(field);
  });

  it("keeps a patient's invitation code (a practice's PATIENT invitation), trimmed", () => {
    expect(validateRegistration({ ...patient, invitationCode: ' code ' }, NOW)).toMatchObject({ role: 'PATIENT', invitationCode: 'code' });
  });

  it("keeps a staff member's invitation code, trimmed", () => {
    expect(validateRegistration({ ...patient, role: Role.STAFF, invitationCode: ' code ' }, NOW)).toEqual({
      role: 'STAFF',
      email: 'p@example.org',
      password: 'long enough pw',
      name: 'Pat',
      invitationCode: 'code',
    });
  });
});

describe('email and time zone helpers', () => {
  it('compares emails case-insensitively', () => {
    expect(normalizeEmail('  A@B.Co ')).toBe('a@b.co');
  });
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Not/AZone')).toBe(false);
  });
});
