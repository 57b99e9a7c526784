import { Extensions } from 'type-graphql';
import { RATE_LIMIT_NAMES, type RateLimitName } from '../platform/rate-limits';

/**
 * Whose budget a call spends: the signed-in account's, or the client address's (anonymous
 * callers of an account-charged field are charged per address).
 */
export type RateLimitKey = 'account' | 'address';

/** What one call of a rate-limited root field costs: one point of `limiter`, per `per`. */
export interface FieldRateLimit {
  readonly limiter: RateLimitName;
  readonly per: RateLimitKey;
}

/** The key of the declaration in the field's GraphQL extensions (not part of the public schema). */
const EXTENSION_KEY = 'rateLimit';

/**
 * Declares that every call of this root field (each alias counts) spends one point of
 * `limiter`, charged per account or per client address before the operation runs, over HTTP
 * and over the socket alike (transport/operation-rate-limits.ts reads it from the schema).
 *
 *     @RateLimited('bookings', 'account')
 *     @Mutation(() => Appointment)
 *     bookAppointment(...)
 */
export function RateLimited(limiter: RateLimitName, per: RateLimitKey): MethodDecorator {
  const declaration: FieldRateLimit = { limiter, per };
  return Extensions({ [EXTENSION_KEY]: declaration });
}

/**
 * The rate limit a field's extensions declare, or undefined when it has none. The extensions
 * are untyped once in the schema: a declaration that is not what RateLimited writes (an unknown
 * limiter, another key) throws, naming the field, so a bad declaration stops the server at
 * startup instead of leaving the field unlimited.
 */
export function declaredRateLimit(fieldName: string, extensions: Readonly<Record<string, unknown>>): FieldRateLimit | undefined {
  const declaration = extensions[EXTENSION_KEY];
  if (declaration === undefined) return undefined;
  if (typeof declaration === 'object' && declaration !== null && 'limiter' in declaration && 'per' in declaration) {
    const { limiter, per } = declaration;
    if (isRateLimitName(limiter) && (per === 'account' || per === 'address')) return { limiter, per };
  }
  throw new Error(
    `Field ${fieldName}: extensions.${EXTENSION_KEY} is not a rate limit (${JSON.stringify(declaration)}); declare it with @RateLimited(limiter, per).`,
  );
}

function isRateLimitName(value: unknown): value is RateLimitName {
  return RATE_LIMIT_NAMES.some((name) => name === value);
}
