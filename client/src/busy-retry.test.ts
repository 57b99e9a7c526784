// The client's answer to a busy server: wait the hinted delay and send the request again.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { BUSY_ATTEMPTS, busyRetryDelayMs, busyRetryLink } from './busy-retry';

const BUSY_BODY = JSON.stringify({
  errors: [{ message: 'The server is busy.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }],
});

function serverError(status: number, bodyText: string, headers: Record<string, string> = {}): ServerError {
  return new ServerError(`Response not successful: Received status code ${status}`, {
    response: new Response(bodyText, { status, headers }),
    bodyText,
  });
}

describe('busyRetryDelayMs', () => {
  it('waits the hinted seconds, with at most 25% jitter, for a 503 or 429 refusal', () => {
    expect(busyRetryDelayMs(serverError(503, BUSY_BODY), () => 0)).toBe(1000);
    expect(busyRetryDelayMs(serverError(503, BUSY_BODY), () => 1)).toBe(1250);
    expect(busyRetryDelayMs(serverError(429, '', { 'retry-after': '2' }), () => 0)).toBe(2000);
  });

  it('does not retry other failures, or a hint too long to wait for', () => {
    expect(busyRetryDelayMs(serverError(500, BUSY_BODY))).toBeUndefined();
    expect(busyRetryDelayMs(serverError(503, 'not json'))).toBeUndefined();
    expect(busyRetryDelayMs(serverError(503, '', { 'retry-after': '60' }))).toBeUndefined();
    expect(busyRetryDelayMs(new Error('offline'))).toBeUndefined();
  });
});

describe('busyRetryLink', () => {
  it('sends a refused request again after the hint until the server takes it, and gives up after its attempts', async () => {
    const answers = [503, 503, 200];
    // A short hint keeps the test fast; the delay itself is checked above.
    const hinted = JSON.stringify({ errors: [{ message: 'busy', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 0.01 } }] });
    const sent: number[] = [];
    const fetchAnswering =
      (statuses: number[]): typeof fetch =>
      async () => {
        sent.push(Date.now());
        const status = statuses.shift() ?? 503;
        const body = status === 200 ? JSON.stringify({ data: { ok: true } }) : hinted;
        return new Response(body, { status, headers: { 'content-type': 'application/json' } });
      };
    const clientWith = (statuses: number[]) =>
      new ApolloClient({
        cache: new InMemoryCache(),
        link: ApolloLink.from([busyRetryLink(), new HttpLink({ uri: 'http://api.test/graphql', fetch: fetchAnswering(statuses) })]),
      });

    const result = await clientWith(answers).mutate<{ ok: boolean }>({
      mutation: gql`
        mutation {
          ok
        }
      `,
    });
    expect(result.data).toEqual({ ok: true });
    expect(sent).toHaveLength(3);

    sent.length = 0;
    await expect(
      clientWith([503, 503, 503, 503]).mutate({
        mutation: gql`
          mutation {
            ok
          }
        `,
      }),
    ).rejects.toSatisfy(ServerError.is);
    expect(sent).toHaveLength(BUSY_ATTEMPTS);
  });
});
