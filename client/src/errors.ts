import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The first GraphQL error's public code and input field (shared/API.md), for messages next to a field. */
export interface ApiProblem {
  readonly code: string | undefined;
  readonly field: string | undefined;
  readonly message: string;
}

export function apiProblem(error: unknown): ApiProblem {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.['code'];
    const field = first?.extensions?.['field'];
    return {
      code: typeof code === 'string' ? code : undefined,
      field: typeof field === 'string' ? field : undefined,
      message: first?.message ?? error.message,
    };
  }
  if (ServerError.is(error) && (error.statusCode === 503 || error.statusCode === 429)) {
    // Still refused as busy after the retries (busy-retry.ts).
    return { code: 'RATE_LIMITED', field: undefined, message: 'The server is busy right now. Please try again in a moment.' };
  }
  return { code: undefined, field: undefined, message: 'The server could not be reached. Check your connection and try again.' };
}
