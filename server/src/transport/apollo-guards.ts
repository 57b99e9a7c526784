import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RequestContext } from '../graphql/request-context';
import type { Logger } from '../platform/logger';
import type { Metrics } from '../platform/metrics';
import { mfaGateRefusal } from './mfa-gate';
import { scopeGateRefusal } from './scope-gate';
import type { OperationLimits } from './operation-limits';
import { operationLabel, type OperationRateLimits } from './operation-rate-limits';

/**
 * The HTTP half of the operation guards, after Apollo has parsed (token limit) and validated
 * (limit rules) the document and before anything executes: the MFA gate, the scope gate of app tokens, the cost check, which
 * needs the variables, and the rate limits of the operation's root fields. Also counts every request by
 * operation and outcome code, times it, and logs one debug line for it (operation, code, time:
 * never variables, which hold passwords and health data).
 */
export function operationGuardsPlugin(deps: {
  limits: OperationLimits;
  operationRateLimits: OperationRateLimits;
  metrics: Metrics;
  logger: Logger;
}): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      let operation = 'invalid'; // until validated: client-chosen names never become labels
      let refusedByLimits = false;
      return {
        async didResolveOperation({ document, request, operationName, schema, contextValue }) {
          operation = operationLabel(document, operationName);
          const gated = mfaGateRefusal(contextValue.viewer, document, operationName);
          if (gated) throw gated;
          const outOfScope = scopeGateRefusal(contextValue.viewer, schema, document, operationName);
          if (outOfScope) throw outOfScope;
          const refusal =
            deps.limits.checkVariables(request.variables) ?? deps.limits.checkCost(schema, document, request.variables, operationName);
          if (refusal) {
            refusedByLimits = true;
            throw refusal;
          }
          try {
            await deps.operationRateLimits.charge(document, operationName, {
              userId: contextValue.viewer?.userId,
              clientAddress: contextValue.clientAddress,
            });
          } catch (error) {
            throw withTooManyRequests(error);
          }
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.['code'];
          if ((operation === 'invalid' && errors) || refusedByLimits) deps.metrics.operationRefusals.inc({ transport: 'http' });
          const outcome = typeof code === 'string' ? code : 'OK';
          const seconds = (performance.now() - startedAt) / 1000;
          deps.metrics.httpRequests.inc({ operation, code: outcome });
          deps.metrics.httpDuration.observe({ operation }, seconds);
          deps.logger.debug({ operation, code: outcome, durationMs: Math.round(seconds * 1000) }, 'graphql request');
        },
      };
    },
  };
}

/** A RATE_LIMITED refusal answered as HTTP 429 with Retry-After (Apollo reads `extensions.http`, then drops it). */
function withTooManyRequests(error: unknown): unknown {
  if (!(error instanceof GraphQLError) || error.extensions['code'] !== 'RATE_LIMITED') return error;
  const retryAfter = error.extensions['retryAfterSeconds'];
  const headers = new HeaderMap(typeof retryAfter === 'number' ? [['retry-after', String(retryAfter)]] : []);
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 429, headers } } });
}
