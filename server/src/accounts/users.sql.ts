import { z } from 'zod';
import type { Role } from '../generated/prisma/enums';
import type { PrismaReader } from '../platform/database';
import type { Sql, Statement } from '../platform/sql';
import { jsonColumn } from '../platform/sql-values';

/**
 * The `users` table (identities: email, password hash, role, name) belongs to accounts: every
 * statement that names it is here. A feature creates an account with insertUser, in the
 * transaction that also writes the role's profile (features/users, features/practices), and a
 * statement of another module that shows a person's name composes userNameOf.
 */

/** A person's name as a scalar subquery: `id` is a SQL expression of their user id (NULL when there is no such account). */
export function userNameOf(id: string): string {
  return `(SELECT account.name FROM users account WHERE account.id = ${id})`;
}

/**
 * A condition for another module's statement: the account `id` (an SQL expression of type uuid)
 * is not deactivated (a removed member's). True when there is no such account.
 */
export function accountActive(id: string): string {
  return `NOT EXISTS (SELECT 1 FROM users account WHERE account.id = ${id} AND account.deactivated_at IS NOT NULL)`;
}

/** A new account. The email's unique index refuses a second account with it (SQLSTATE 23505). */
const INSERT_USER: Statement = {
  name: 'users_insert',
  text: `
    INSERT INTO users (email, password_hash, role, name)
    VALUES ($1::text, $2::text, $3::"Role", $4::text)
    RETURNING id`,
};

const InsertedUser = z.object({ id: z.string() });

export interface NewUser {
  /** Normalised (trimmed, lower-cased) by the caller. */
  readonly email: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly name: string;
}

/** Creates the account in the caller's transaction and returns its id; a taken email throws a unique violation (isUniqueViolation). */
export async function insertUser(tx: Sql, user: NewUser): Promise<string> {
  const [raw] = await tx.query(INSERT_USER, [user.email, user.passwordHash, user.role, user.name]);
  return InsertedUser.parse(raw).id;
}

/** A removed member's account (their practice's admin removed them): it can no longer sign in. */
const DEACTIVATE_USER: Statement = {
  name: 'users_deactivate',
  text: 'UPDATE users SET deactivated_at = $2::timestamptz, updated_at = $2::timestamptz WHERE id = $1::uuid AND deactivated_at IS NULL',
};

/** Deactivates the account in the caller's transaction (see DEACTIVATE_USER). */
export async function deactivateUser(tx: Sql, userId: string, at: Date): Promise<void> {
  await tx.query(DEACTIVATE_USER, [userId, at.toISOString()]);
}

/** A new password hash (changePassword); updated_at says when. */
const UPDATE_PASSWORD: Statement = {
  name: 'users_update_password',
  text: 'UPDATE users SET password_hash = $2::text, updated_at = $3::timestamptz WHERE id = $1::uuid',
};

/** Sets the account's password hash in the caller's transaction. */
export async function updatePasswordHash(tx: Sql, userId: string, passwordHash: string, at: Date): Promise<void> {
  await tx.query(UPDATE_PASSWORD, [userId, passwordHash, at.toISOString()]);
}

/**
 * An account with the profile of its role (the other two are null): what signing in, `me` and a
 * token renewal answer with. The profiles are other modules' rows, read as Prisma relations of
 * the account.
 */
export interface AccountRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly doctor: { readonly id: string; readonly specialty: string; readonly timeZone: string; readonly practiceId: string } | null;
  readonly patient: { readonly id: string; readonly dateOfBirth: Date | null } | null;
  readonly staff: { readonly id: string; readonly practiceId: string; readonly admin: boolean } | null;
}

/** An account with its password hash, for checking a password (sign-in, changePassword). */
export interface AccountWithPassword extends AccountRow {
  readonly passwordHash: string;
}

const ACCOUNT_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  passwordHash: true,
  doctor: { select: { id: true, specialty: true, timeZone: true, practiceId: true } },
  patient: { select: { id: true, dateOfBirth: true } },
  staff: { select: { id: true, practiceId: true, admin: true } },
} as const;

/** The account with this (normalised) email, or null (also for a deactivated account: it cannot sign in). */
export async function accountByEmail(prisma: PrismaReader, email: string): Promise<AccountWithPassword | null> {
  return prisma.user.findUnique({ where: { email, deactivatedAt: null }, select: ACCOUNT_SELECT });
}

/** The account with this id, or null (also for a deactivated account). */
export async function accountById(prisma: PrismaReader, id: string): Promise<AccountWithPassword | null> {
  return prisma.user.findUnique({ where: { id, deactivatedAt: null }, select: ACCOUNT_SELECT });
}

/** Whether an account has this (normalised) email (the bootstrap and the demo seed run once). */
export async function accountExists(prisma: PrismaReader, email: string): Promise<boolean> {
  return (await prisma.user.findUnique({ where: { email }, select: { id: true } })) !== null;
}

/**
 * A scalar subquery for another module's statement: the name and email of the user `userId`
 * names (an SQL expression of type uuid: the caller's column or parameter), as one JSON object
 * `{"name", "email"}`, NULL when there is no such user. Decode it with UserContact. The table is
 * qualified by its own name, which no caller's alias can shadow (only this module names it).
 */
export function userContact(userId: string): string {
  return `(SELECT json_build_object('name', users.name, 'email', users.email) FROM users WHERE users.id = ${userId})`;
}

/** A userContact column, decoded (null: no such user). */
export const UserContact = jsonColumn(z.object({ name: z.string(), email: z.string() })).nullable();
