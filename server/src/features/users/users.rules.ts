import { Role } from '../../generated/prisma/enums';
import { badUserInput } from '../../platform/errors';
import { isTimeZone } from '../../platform/time-zones';
import { optionalText, requiredText } from '../../platform/validation';

export { MAX_PASSWORD_LENGTH } from '../../accounts/password-rule';
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;
const MAX_SPECIALTY_LENGTH = 100;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EARLIEST_BIRTH = new Date('1900-01-01T00:00:00Z');

/** Emails compare case-insensitively and without surrounding blanks. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface RegistrationRequest {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly role: Role;
  readonly specialty?: string | null;
  readonly timeZone?: string | null;
  readonly dateOfBirth?: Date | null;
  readonly invitationCode?: string | null;
}

/** A doctor's timeZone is null when not given: the practice's zone (invited) or UTC (self-registered) fills it. */
export type ValidRegistration =
  | {
      readonly role: 'DOCTOR';
      readonly email: string;
      readonly password: string;
      readonly name: string;
      readonly specialty: string;
      readonly timeZone: string | null;
      readonly invitationCode: string | null;
    }
  | {
      readonly role: 'STAFF';
      readonly email: string;
      readonly password: string;
      readonly name: string;
      readonly invitationCode: string | null;
    }
  | {
      readonly role: 'PATIENT';
      readonly email: string;
      readonly password: string;
      readonly name: string;
      readonly dateOfBirth: Date | null;
      /** A practice's PATIENT invitation: registering with it puts the patient on that practice's list. */
      readonly invitationCode: string | null;
    };

/** Checks a registration against the rules of its role (the password rule is the service's: accounts/password-rule.ts); BAD_USER_INPUT names the field. */
export function validateRegistration(request: RegistrationRequest, now: Date): ValidRegistration {
  const email = normalizeEmail(request.email);
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) throw badUserInput('email is not a valid email address.', 'email');
  const name = requiredText(request.name, 'name', MAX_NAME_LENGTH);

  if (request.role === Role.DOCTOR) {
    if (request.dateOfBirth != null) throw badUserInput('dateOfBirth is only for patients.', 'dateOfBirth');
    const specialty = requiredText(request.specialty, 'specialty', MAX_SPECIALTY_LENGTH);
    const timeZone = optionalText(request.timeZone, 'timeZone', 64);
    if (timeZone !== null && !isTimeZone(timeZone)) throw badUserInput(`timeZone "${timeZone}" is not an IANA time zone.`, 'timeZone');
    return { role: 'DOCTOR', email, password: request.password, name, specialty, timeZone, invitationCode: invitationCodeOf(request) };
  }

  if (request.specialty != null) throw badUserInput('specialty is only for doctors.', 'specialty');
  if (request.timeZone != null) throw badUserInput('timeZone is only for doctors.', 'timeZone');
  if (request.role === Role.STAFF) {
    if (request.dateOfBirth != null) throw badUserInput('dateOfBirth is only for patients.', 'dateOfBirth');
    return { role: 'STAFF', email, password: request.password, name, invitationCode: invitationCodeOf(request) };
  }
  const dateOfBirth = request.dateOfBirth ?? null;
  if (dateOfBirth && (dateOfBirth.getTime() > now.getTime() || dateOfBirth < EARLIEST_BIRTH)) {
    throw badUserInput('dateOfBirth must be in the past and after 1900.', 'dateOfBirth');
  }
  return { role: 'PATIENT', email, password: request.password, name, dateOfBirth, invitationCode: invitationCodeOf(request) };
}

function invitationCodeOf(request: RegistrationRequest): string | null {
  return optionalText(request.invitationCode, 'invitationCode', 200);
}
