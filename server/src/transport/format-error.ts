import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, internalError, isPublicError, mapDatabaseError } from '../platform/errors';
import type { Logger } from '../platform/logger';

// Codes graphql-js and Apollo give to requests that can never run as sent: to a client they are
// BAD_USER_INPUT (the public contract's code); the original code stays in `extensions.reason`.
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The last word on every error a client sees, over HTTP and WebSocket alike: our public errors
 * pass as they are; request errors become BAD_USER_INPUT; database errors with a meaning get
 * their code; anything else is logged with an id and reaches the client as INTERNAL_SERVER_ERROR
 * with only that id. Expected errors never carry a stack trace; unexpected ones carry theirs only
 * when `exposeStack` (development). With `hideSuggestions` (production) validation messages lose
 * their "Did you mean ...?" hints, which would let a caller map the schema with introspection off
 * (graphql-armor's block-field-suggestions does the same, for Apollo only; this covers sockets too).
 */
export function createErrorFormatter(logger: Logger, exposeStack: boolean, options: { hideSuggestions?: boolean } = {}): ErrorFormatter {
  const strip = (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const message = options.hideSuggestions ? formatted.message.replace(/\s*Did you mean .*\?$/s, '') : formatted.message;
    if (!formatted.extensions || !('stacktrace' in formatted.extensions || 'http' in formatted.extensions))
      return { ...formatted, message };
    const { stacktrace: _dropped, http: _transportOnly, ...extensions } = formatted.extensions;
    return { ...formatted, message, extensions };
  };
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (isPublicError(original) && original.extensions['code'] !== ErrorCode.InternalServerError) return strip(formatted);

    const code = String(formatted.extensions?.['code'] ?? '');
    if (REQUEST_ERROR_CODES.has(code)) {
      return strip({ ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BadUserInput, reason: code } });
    }

    const mapped = mapDatabaseError(original);
    if (mapped) return { message: mapped.message, path: formatted.path, extensions: mapped.extensions };

    const errorId = randomUUID();
    logger.error({ err: original, errorId, path: formatted.path }, 'unexpected error');
    const internal = internalError(errorId);
    return {
      message: internal.message,
      path: formatted.path,
      extensions:
        exposeStack && original instanceof Error
          ? { ...internal.extensions, stacktrace: original.stack?.split('\n') }
          : internal.extensions,
    };
  };
}
