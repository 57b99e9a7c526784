import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values of the public contract (shared/API.md). */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  SlotUnavailable: 'SLOT_UNAVAILABLE',
  Conflict: 'CONFLICT',
  RateLimited: 'RATE_LIMITED',
  CursorExpired: 'CURSOR_EXPIRED',
  MfaRequired: 'MFA_REQUIRED',
  HoldExpired: 'HOLD_EXPIRED',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** No valid token, or a wrong email/password pair (the same message for both, so emails cannot be probed). */
export function unauthenticated(message = 'You must be signed in.'): GraphQLError {
  return appError(ErrorCode.Unauthenticated, message);
}

/** Signed in, but this viewer may not do this. */
export function forbidden(message = 'You are not allowed to do this.'): GraphQLError {
  return appError(ErrorCode.Forbidden, message);
}

/** Input that can never succeed as sent; `field` names the input field to show the message next to. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return appError(ErrorCode.BadUserInput, message, field ? { field } : {});
}

/** Nothing of that kind with that id exists (or the viewer may not know it does). */
export function notFound(what: string): GraphQLError {
  return appError(ErrorCode.NotFound, `${what} not found.`);
}

/** The doctor or the patient is already booked (or off) at that time. */
export function slotUnavailable(message = 'That time is no longer available. Please pick another slot.'): GraphQLError {
  return appError(ErrorCode.SlotUnavailable, message);
}

/** The request clashes with what exists: a registered email, an idempotency key reused with other input. */
export function conflict(message: string): GraphQLError {
  return appError(ErrorCode.Conflict, message);
}

/** Too many requests or operations at once for this client; `retryAfterSeconds` says when to try again. */
export function rateLimited(message: string, retryAfterSeconds?: number): GraphQLError {
  return appError(ErrorCode.RateLimited, message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
}

/**
 * A second factor is needed: `login` without a valid `otp` for an account with MFA, or any
 * operation but enrolling for an account whose role must use MFA and has none yet.
 */
export function mfaRequired(message: string): GraphQLError {
  return appError(ErrorCode.MfaRequired, message);
}

/** Booking with a hold (holdId, FHIR $book of a pending Appointment) after it expired: its time may be taken since. */
export function holdExpired(expiredAt: Date): GraphQLError {
  return appError(
    ErrorCode.HoldExpired,
    `This hold expired at ${expiredAt.toISOString()}: hold the time again, or book it without the hold if it is still free.`,
  );
}

/** An `after` cursor older than the retained event history. */
export function cursorExpired(): GraphQLError {
  return appError(
    ErrorCode.CursorExpired,
    'That cursor is older than the retained event history: reload the list, then subscribe without it.',
  );
}

/** An unexpected failure: the client sees only an id to quote, the log has the details under that id. */
export function internalError(errorId: string = randomUUID()): GraphQLError {
  return appError(ErrorCode.InternalServerError, `Something went wrong on our side (error id ${errorId}).`, { errorId });
}

/** True for an error we raised on purpose with one of the public codes. */
export function isPublicError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && PUBLIC_CODES.has(String(error.extensions['code']));
}

/** What a database failure means to a client, when it means something (undefined: an internal error). */
export function mapDatabaseError(error: unknown): GraphQLError | undefined {
  const sqlState = findSqlState(error);
  if (sqlState === '23P01') return slotUnavailable(); // exclusion_violation: overlapping BOOKED range
  if (sqlState === '23505' || prismaCode(error) === 'P2002') return conflict('That already exists.');
  // A NUL or otherwise unstorable character in a text (PostgreSQL cannot store U+0000 in text).
  if (sqlState === '22021' || sqlState === '22P05')
    return badUserInput('A text contains a character that cannot be stored (such as U+0000).');
  return undefined;
}

/** A unique constraint refused the write (SQLSTATE 23505): the row exists already. */
export function isUniqueViolation(error: unknown): boolean {
  return findSqlState(error) === '23505' || prismaCode(error) === 'P2002';
}

/**
 * A transaction PostgreSQL aborted only because of what ran beside it: a deadlock (40P01, e.g. two
 * bookings of one slot each waiting on the other's row in the exclusion constraint) or a
 * serialization failure (40001); Prisma reports both as P2034. Running it again is safe and right:
 * it then commits, or meets the other's committed row and fails for the real reason.
 */
export function isTransientTransactionError(error: unknown): boolean {
  const sqlState = findSqlState(error);
  return sqlState === '40P01' || sqlState === '40001' || prismaCode(error) === 'P2034';
}

/**
 * Whether PostgreSQL refused a statement only because an earlier one of its transaction had
 * failed (25P02 in_failed_sql_transaction): that earlier error is the one to report.
 */
export function isAbortedTransactionError(error: unknown): boolean {
  return findSqlState(error) === '25P02';
}

/** The Prisma error code (P2002...) of a Prisma known-request error. */
export function prismaCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^P\d{4}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * The PostgreSQL SQLSTATE anywhere in an error's chain. Prisma wraps driver errors differently
 * per adapter (pg, PGlite) and per code, so this walks `cause` and Prisma's `meta` instead of
 * trusting one shape.
 */
export function findSqlState(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  for (const key of ['originalCode', 'code'] as const) {
    const value = record[key];
    if (typeof value === 'string' && /^[0-9A-Z]{5}$/.test(value) && !/^P\d{4}$/.test(value)) return value;
  }
  const meta = record['meta'];
  if (typeof meta === 'object' && meta !== null) {
    const fromMeta = findSqlState((meta as Record<string, unknown>)['driverAdapterError'], depth + 1);
    if (fromMeta) return fromMeta;
  }
  return findSqlState(record['cause'], depth + 1);
}
