import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createEmbeddedTemplate } from './helpers/embedded-template';
import { ADMIN_POSTGRES_URL, withDatabase } from './helpers/test-env';

/**
 * One fresh PostgreSQL database and Redis prefix for this run, and a migrated embedded database
 * that embedded test servers start from (embedded-template.ts); global-teardown removes both.
 */
export default async function globalSetup(): Promise<void> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const database = `careline_test_${suffix}`;
  const admin = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  process.env['CARELINE_TEST_DATABASE'] = database;
  process.env['CARELINE_TEST_DATABASE_URL'] = withDatabase(ADMIN_POSTGRES_URL, database);
  process.env['CARELINE_TEST_REDIS_PREFIX'] = `careline_test_${suffix}:`;
  await createEmbeddedTemplate();
}
