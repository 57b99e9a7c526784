import { createHash, randomBytes } from 'node:crypto';
import { Role } from '../../generated/prisma/enums';
import { badUserInput } from '../../platform/errors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_CODE_LENGTH = 200;

/** A new invitation code: 192 random bits, URL-safe, so a hash without salt or stretching is enough. */
export function newInvitationCode(): string {
  return randomBytes(24).toString('base64url');
}

/** What is stored and compared instead of the code (a code is never stored). */
export function hashInvitationCode(code: string): string {
  return createHash('sha256').update(code.trim(), 'utf8').digest('hex');
}

/** True when the text could be a code at all (so a 1 MB "code" is not hashed). */
export function isPlausibleCode(code: string): boolean {
  return code.trim().length > 0 && code.length <= MAX_CODE_LENGTH;
}

export interface InvitationRequest {
  readonly practiceId: string;
  readonly role: Role;
  readonly email: string;
  readonly admin?: boolean | null;
}

export interface ValidInvitation {
  readonly practiceId: string;
  readonly role: InvitedRole;
  readonly email: string;
  readonly admin: boolean;
}

/** Whom an invitation is for: a doctor or staff member joins the practice, a patient joins its patient list. */
export type InvitedRole = 'DOCTOR' | 'STAFF' | 'PATIENT';

/** Checks an invitation's input; BAD_USER_INPUT names the field. The practice id is checked by the caller (FORBIDDEN). */
export function validateInvitation(request: InvitationRequest): ValidInvitation {
  const email = request.email.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) throw badUserInput('email is not a valid email address.', 'email');
  const admin = request.admin ?? false;
  if (request.role === Role.PATIENT && admin) throw badUserInput('A patient cannot be an admin of the practice.', 'admin');
  return { practiceId: request.practiceId, role: request.role, email, admin };
}

/** The instant an invitation made at `now` stops being valid. */
export function invitationExpiry(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}
