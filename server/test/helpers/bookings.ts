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

/** Books and returns the appointment id, or throws with the API's errors. */
export async function bookOrThrow(server: Pick<TestServer, 'gql'>, patient: TestAccount, input: Record<string, unknown>): Promise<string> {
  const result = await book(server, patient, input);
  const id = result.data?.bookAppointment.id;
  if (!id) throw new Error(`booking failed: ${JSON.stringify(result.errors)}`);
  return id;
}
