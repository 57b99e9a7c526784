import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { SqlSession } from '../../src/platform/migrations';
import { leftover } from './leftovers';
import { ADMIN_POSTGRES_URL, withDatabase } from './test-env';

/** A PostgreSQL database of its own, for a deployment that must not share the run's database. */
export interface OwnDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` on the test server; drop() removes it, connections and all (after the test or file, if not before). */
export async function createOwnDatabase(prefix: string): Promise<OwnDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const drop = leftover(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  return { name, url: withDatabase(ADMIN_POSTGRES_URL, name), drop };
}

/** The migration runner's SQL surface over a connected node-postgres client (migration tests). */
export function sqlSession(client: Client): SqlSession {
  return {
    query: async (sql, params) => (await client.query(sql, params ? [...params] : undefined)).rows,
    exec: async (script) => {
      await client.query(script);
    },
  };
}
