import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { requestScope } from './request-scope';

export type { Logger };

/**
 * One JSON line per event; tokens and passwords are redacted wherever they appear in a logged
 * object. A line written while a request is handled carries its `requestId` (the server's) and the client's `clientRequestId` when it sent one. `destination`:
 * stdout by default (tests capture lines with their own stream).
 */
export function createLogger(config: Pick<Config['runtime'], 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'careline' },
    mixin: () => {
      const scope = requestScope.getStore();
      if (!scope) return {};
      return scope.clientRequestId === undefined
        ? { requestId: scope.requestId }
        : { requestId: scope.requestId, clientRequestId: scope.clientRequestId };
    },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
