import { GraphQLError } from 'graphql';

/** The public `extensions.code` of an error we raised, or a text that fails any code assertion. */
export function codeOf(error: unknown): string {
  return error instanceof GraphQLError ? String(error.extensions['code']) : `not a public error: ${String(error)}`;
}

/** [code, field] of what `run` throws (as a rule check raises BAD_USER_INPUT), or undefined when it does not throw. */
export function errorOf(run: () => unknown): [string, unknown] | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return [codeOf(error), error instanceof GraphQLError ? error.extensions['field'] : undefined];
  }
}

/** "OK" when the promise resolves, else the public code it was rejected with. */
export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return codeOf(error);
  }
}
