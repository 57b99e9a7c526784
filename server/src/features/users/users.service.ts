import type { Viewer } from '../../accounts/authorization';
import { requireViewer } from '../../accounts/authorization';
import type { PasswordRule } from '../../accounts/password-rule';
import type { AuditTrail } from '../../audit/audit-trail';
import { ANONYMOUS_ACTOR, SecurityAction, SecurityOutcome } from '../../audit/security-events';
import type { PracticeMembers } from '../practices/practices.members';
import { verifyPassword, type PasswordHasher } from '../../accounts/passwords';
import type { RequestMeta } from '../../accounts/request-meta';
import type { SecondFactor } from '../../accounts/second-factor';
import type { SessionService } from '../../accounts/sessions';
import type { SignInThrottle } from '../../accounts/sign-in-throttle';
import type { TokenService } from '../../accounts/tokens';
import { accountByEmail, accountById, insertUser, type AccountRow } from '../../accounts/users.sql';
import type { Transactions } from '../../live/transactions';
import type { Clock } from '../../platform/clock';
import type { PrismaReader } from '../../platform/database';
import { conflict, forbidden, isUniqueViolation, mfaRequired, unauthenticated } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import type { InvitationService } from '../practices/invitations.service';
import type { PracticeService } from '../practices/practices.service';
import { insertStaffMember } from '../practices/practices.sql';
import { insertDoctor } from '../doctors/doctors.sql';
import { toDoctor } from '../doctors/doctors.service';
import { insertPatient } from '../patients/patients.sql';
import { toPatient } from '../patients/patients.service';
import { MAX_PASSWORD_LENGTH, normalizeEmail, validateRegistration, type RegistrationRequest, type ValidRegistration } from './users.rules';
import type { AuthPayload, User } from './users.type';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';
const WRONG_CODE =
  'That code is not right (or was used already): enter the current code from your authenticator app, or an unused recovery code.';
/** Longer than any TOTP or recovery code, as typed with spaces. */
const MAX_OTP_LENGTH = 64;

/** Where a new doctor or staff member goes: the practice joined, as admin or not, and its zone. */
interface Placement {
  readonly practiceId: string;
  readonly admin: boolean;
  readonly timeZone: string;
  readonly invitationId: string | null;
}

export function toUser(row: AccountRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    doctor: row.doctor ? toDoctor({ ...row.doctor, user: { name: row.name } }) : null,
    patient: row.patient ? toPatient({ ...row.patient, user: { name: row.name } }) : null,
    staff: row.staff ? { ...row.staff, name: row.name } : null,
  };
}

/**
 * Accounts: registering, signing in (each sign-in opens a session, accounts/sessions.ts), and who
 * the viewer is. Sign-ins are throttled per email and per client address (registrations per
 * address by the transport's rate limits).
 */
export class UserService {
  constructor(
    private readonly prisma: PrismaReader,
    private readonly transactions: Transactions,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
    private readonly invitations: InvitationService,
    private readonly practices: PracticeService,
    private readonly options: { readonly doctorSelfRegistration: boolean },
    private readonly clock: Clock,
    private readonly passwordRule: PasswordRule,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly members: PracticeMembers,
    private readonly secondFactor: SecondFactor,
  ) {}

  /** A sign-in attempt as a security event (committed before the answer leaves). */
  private async recordSignIn(row: { id: string; role: string } | null, outcome: SecurityOutcome, origin: RequestMeta): Promise<void> {
    const practiceId = row ? ((await this.members.membershipOfUser(row.id))?.practiceId ?? null) : null;
    await this.audit.recordSecurityEvent({
      action: SecurityAction.SignIn,
      outcome,
      actorUserId: row?.id ?? null,
      actorRole: row?.role ?? ANONYMOUS_ACTOR,
      practiceId,
      request: origin,
    });
  }

  /** A new session for this account and its first token. */
  private async signIn(row: AccountRow, origin: RequestMeta, mfaEnabled: boolean): Promise<AuthPayload> {
    const session = await this.sessions.open({ id: row.id, role: row.role, mfaEnabled }, origin);
    return { token: await this.tokens.sign(row.id, row.role, session.id, session.expiresAt), user: toUser(row) };
  }

  /**
   * Creates an account with its role's profile in one transaction and signs it in. Patients
   * register freely (with a practice's PATIENT invitation code, they join its patient list). A DOCTOR or STAFF account needs an invitation code for that email and role
   * (consumed in the same transaction: single use even under concurrent registers) and joins its
   * practice; without one FORBIDDEN, except a DOCTOR when DOCTOR_SELF_REGISTRATION is on, who
   * gets a new one-doctor practice of which they are the admin.
   */
  async register(request: RegistrationRequest, origin: RequestMeta): Promise<AuthPayload> {
    const valid = validateRegistration(request, this.clock());
    this.passwordRule.check(valid.password, valid);
    if (valid.role !== 'PATIENT' && valid.invitationCode === null && !(valid.role === 'DOCTOR' && this.options.doctorSelfRegistration)) {
      throw forbidden('An invitation code from a practice admin is needed to register as a doctor or staff member.');
    }
    const passwordHash = await this.passwords.hash(valid.password);
    try {
      const row = await this.transactions.run((tx) => this.createAccount(tx, valid, passwordHash, origin));
      return await this.signIn(row, origin, false);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('An account with this email already exists.');
      throw error;
    }
  }

  /**
   * The account and its role's profile in the caller's transaction (a doctor or staff member
   * first takes their place in a practice: the invitation's, or a new one), as sign-in reads it.
   */
  private async createAccount(tx: Sql, valid: ValidRegistration, passwordHash: string, origin: RequestMeta): Promise<AccountRow> {
    const user = { email: valid.email, passwordHash, name: valid.name, role: valid.role };
    const account = { email: valid.email, name: valid.name, role: valid.role, doctor: null, patient: null, staff: null };
    if (valid.role === 'PATIENT') {
      // A practice's invitation first: a bad code refuses the registration before anything is written.
      const claimed = valid.invitationCode === null ? null : await this.invitations.claim(tx, valid.invitationCode, valid.email, 'PATIENT');
      const id = await insertUser(tx, user);
      const patient = await insertPatient(tx, { id, dateOfBirth: valid.dateOfBirth });
      if (claimed)
        await this.invitations.linkPatientBy(
          tx,
          { invitationId: claimed.id, practiceId: claimed.practiceId },
          { userId: id, request: origin },
        );
      return { ...account, id, patient };
    }
    const placement = await this.place(tx, valid);
    const id = await insertUser(tx, user);
    const member = { id, practiceId: placement.practiceId, admin: placement.admin };
    let created: AccountRow;
    if (valid.role === 'DOCTOR') {
      const doctor = { ...member, specialty: valid.specialty, timeZone: valid.timeZone ?? placement.timeZone };
      await insertDoctor(tx, doctor);
      created = { ...account, id, doctor };
    } else {
      await insertStaffMember(tx, member);
      created = { ...account, id, staff: member };
    }
    if (placement.invitationId) {
      await this.invitations.markUsedBy(
        tx,
        { invitationId: placement.invitationId, practiceId: placement.practiceId },
        { userId: id, role: valid.role, request: origin },
      );
    }
    return created;
  }

  /** The practice a new doctor or staff member joins: by their invitation, or (self-registration) a new one of their own. */
  private async place(tx: Sql, valid: Exclude<ValidRegistration, { role: 'PATIENT' }>): Promise<Placement> {
    if (valid.invitationCode !== null) {
      const claimed = await this.invitations.claim(tx, valid.invitationCode, valid.email, valid.role);
      return { practiceId: claimed.practiceId, admin: claimed.admin, timeZone: claimed.practiceTimeZone, invitationId: claimed.id };
    }
    const timeZone = valid.role === 'DOCTOR' ? (valid.timeZone ?? 'UTC') : 'UTC';
    const practice = await this.practices.createPractice(tx, valid.name, timeZone);
    return { practiceId: practice.id, admin: true, timeZone, invitationId: null };
  }

  /**
   * Signs in; an unknown email and a wrong password fail alike, in the same time. Every attempt
   * counts against the email and the client address first: over either limit it is RATE_LIMITED
   * even with the right password; a success resets the email's count. An account with MFA also
   * needs `otp` (a current TOTP code or an unused recovery code): without a valid one
   * MFA_REQUIRED, and the attempt stays counted as a failure.
   */
  async login(email: string, password: string, origin: RequestMeta, otp?: string | null): Promise<AuthPayload> {
    try {
      await this.throttle.beginSignIn(normalizeEmail(email), origin.clientAddress);
    } catch (error) {
      await this.recordSignIn(await accountByEmail(this.prisma, normalizeEmail(email)), SecurityOutcome.LockedOut, origin);
      throw error;
    }
    const row = password.length <= MAX_PASSWORD_LENGTH ? await accountByEmail(this.prisma, normalizeEmail(email)) : null;
    const matches = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), row?.passwordHash ?? (await this.passwords.dummyHash()));
    if (!row || !matches) {
      await this.recordSignIn(row, SecurityOutcome.Failure, origin);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    const mfaEnabled = await this.secondFactor.isEnabled(row.id);
    if (mfaEnabled) {
      const proof = otp && otp.length <= MAX_OTP_LENGTH ? await this.secondFactor.verify(row.id, otp) : null;
      if (!proof) {
        await this.recordSignIn(row, SecurityOutcome.MfaFailed, origin);
        throw mfaRequired(otp ? WRONG_CODE : 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.');
      }
    }
    await this.throttle.signInSucceeded(normalizeEmail(email), origin.clientAddress);
    const payload = await this.signIn(row, origin, mfaEnabled);
    await this.recordSignIn(row, SecurityOutcome.Success, origin);
    return payload;
  }

  /** The viewer's account; UNAUTHENTICATED when signed out or the account is gone. */
  async me(viewer: Viewer | undefined): Promise<User> {
    const { userId } = requireViewer(viewer);
    const row = await accountById(this.prisma, userId);
    if (!row) throw unauthenticated('This account no longer exists.');
    return toUser(row);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly users: UserService;
  }
}
