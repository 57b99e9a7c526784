import type { ErrorRequestHandler } from 'express';
import { ErrorCode } from '../platform/errors';
import type { Logger } from '../platform/logger';

/**
 * Errors raised before GraphQL runs (body parsing) answered in GraphQL's own error shape, so a
 * client reads `errors[0].extensions.code` whatever went wrong: malformed JSON is 400, a body over
 * the limit 413, both BAD_USER_INPUT. Anything else is a 500 with no detail.
 */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type === 'entity.parse.failed') {
      return res
        .status(400)
        .json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: ErrorCode.BadUserInput } }] });
    }
    if (type === 'entity.too.large') {
      return res
        .status(413)
        .json({ errors: [{ message: 'The request body is too large (limit 1 MB).', extensions: { code: ErrorCode.BadUserInput } }] });
    }
    logger.error({ err: error }, 'unhandled HTTP error');
    return res.status(500).json({ errors: [{ message: 'Internal server error.', extensions: { code: ErrorCode.InternalServerError } }] });
  };
}
