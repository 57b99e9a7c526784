import { randomUUID } from 'node:crypto';
import type { TestServer } from './test-server';

/** A practice id for an endpoint written straight to the database (until practices exist: any id). */
export async function testPracticeId(_server: Pick<TestServer, 'database'>): Promise<string> {
  return randomUUID();
}
