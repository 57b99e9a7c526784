import type { Viewer } from '../../accounts/authorization';
import { requireViewer } from '../../accounts/authorization';
import { conflict, prismaCode, unauthenticated } from '../../platform/errors';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../accounts/passwords';
import type { RequestMeta } from '../../accounts/request-meta';
import type { SessionService } from '../../accounts/sessions';
import type { SignInThrottle } from '../../accounts/sign-in-throttle';
import type { TokenService } from '../../accounts/tokens';
import type { PrismaClient } from '../../generated/prisma/client';
import { toDoctor } from '../doctors/doctors.service';
import { toPatient } from '../patients/patients.service';
import { MAX_PASSWORD_LENGTH, normalizeEmail, validateRegistration, type RegistrationRequest } from './users.rules';
import type { AuthPayload, User } from './users.type';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';
const WITH_PROFILES = { doctor: true, patient: true } as const;

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: User['role'];
  doctor: { id: string; specialty: string; timeZone: string } | null;
  patient: { id: string; dateOfBirth: Date | null } | null;
};

export const USER_WITH_PROFILES = WITH_PROFILES;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    doctor: row.doctor ? toDoctor({ ...row.doctor, user: { name: row.name } }) : null,
    patient: row.patient ? toPatient({ ...row.patient, user: { name: row.name } }) : null,
  };
}

/**
 * Accounts: registering, signing in (each sign-in opens a session, accounts/sessions.ts), and who
 * the viewer is. Sign-ins are throttled per email and per client address (registrations per
 * address by the transport's rate limits).
 */
export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
  ) {}

  /** A new session for this account and its first token. */
  async signIn(row: UserRow, origin: RequestMeta): Promise<AuthPayload> {
    const session = await this.sessions.open(row.id, origin);
    return { token: await this.tokens.sign(row.id, row.role, session.id, session.expiresAt), user: toUser(row) };
  }

  /** Creates an account with its role's profile in one transaction and signs it in. */
  async register(request: RegistrationRequest, origin: RequestMeta): Promise<AuthPayload> {
    const valid = validateRegistration(request, new Date());
    const passwordHash = await hashPassword(valid.password);
    try {
      const row = await this.prisma.user.create({
        data: {
          email: valid.email,
          passwordHash,
          name: valid.name,
          role: valid.role,
          ...(valid.role === 'DOCTOR'
            ? { doctor: { create: { specialty: valid.specialty, timeZone: valid.timeZone } } }
            : { patient: { create: { dateOfBirth: valid.dateOfBirth } } }),
        },
        include: WITH_PROFILES,
      });
      return await this.signIn(row, origin);
    } catch (error) {
      if (prismaCode(error) === 'P2002') throw conflict('An account with this email already exists.');
      throw error;
    }
  }

  /**
   * Signs in; an unknown email and a wrong password fail alike, in the same time. Every attempt
   * counts against the email and the client address first: over either limit it is RATE_LIMITED
   * even with the right password; a success resets the email's count.
   */
  async login(email: string, password: string, origin: RequestMeta): Promise<AuthPayload> {
    await this.throttle.beginSignIn(normalizeEmail(email), origin.clientAddress);
    const row =
      password.length <= MAX_PASSWORD_LENGTH
        ? await this.prisma.user.findUnique({ where: { email: normalizeEmail(email) }, include: WITH_PROFILES })
        : null;
    const matches = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), row?.passwordHash ?? (await DUMMY_PASSWORD_HASH));
    if (!row || !matches) throw unauthenticated(WRONG_CREDENTIALS);
    await this.throttle.signInSucceeded(normalizeEmail(email), origin.clientAddress);
    return this.signIn(row, origin);
  }

  /** The viewer's account; UNAUTHENTICATED when signed out or the account is gone. */
  async me(viewer: Viewer | undefined): Promise<User> {
    const { userId } = requireViewer(viewer);
    const row = await this.prisma.user.findUnique({ where: { id: userId }, include: WITH_PROFILES });
    if (!row) throw unauthenticated('This account no longer exists.');
    return toUser(row);
  }
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly users: UserService;
  }
}
