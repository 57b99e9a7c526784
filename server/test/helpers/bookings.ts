import { randomInt } from 'node:crypto';
import { book, type TestAccount } from './accounts';
import type { TestServer } from './test-server';

/**
 * Distinct half-hour slots on a random future day: slot(i) never overlaps slot(j), so a test can
 * book many appointments for one doctor or patient without meeting the exclusion constraints.
 */
export function slotSeries(): (index: number) => Date {
  const base = new Date();
  base.setUTCDate(base.getUTCDate() + 30 + randomInt(600));
  base.setUTCHours(0, 0, 0, 0);
  return (index) => new Date(base.getTime() + index * 30 * 60_000);
}

/**
 * Books and returns the appointment id, or throws with the API's errors. Like the dashboard, it
 * sends a booking the server refused as busy (503, bounded admission) again after the hinted
 * delay, a few times: a burst of hundreds at once is what a delivery test sends, not an attack.
 */
export async function bookOrThrow(server: Pick<TestServer, 'gql'>, patient: TestAccount, input: Record<string, unknown>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const result = await book(server, patient, input);
    const id = result.data?.bookAppointment.id;
    if (id) return id;
    const retryAfterSeconds = result.errors?.[0]?.extensions?.['retryAfterSeconds'];
    if (result.status !== 503 || typeof retryAfterSeconds !== 'number' || attempt >= 10) {
      throw new Error(`booking failed: ${JSON.stringify(result.errors)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000 * (1 + Math.random() * 0.25)));
  }
}
