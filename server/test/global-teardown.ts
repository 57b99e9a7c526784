import { Client } from 'pg';
import { removeEmbeddedTemplate } from './helpers/embedded-template';
import { ADMIN_POSTGRES_URL } from './helpers/test-env';

export default async function globalTeardown(): Promise<void> {
  await removeEmbeddedTemplate();
  const database = process.env['CARELINE_TEST_DATABASE'];
  if (!database) return;
  const admin = new Client({ connectionString: ADMIN_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
