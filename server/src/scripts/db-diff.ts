// npm run db:diff: drafts the next migration. On the PostgreSQL server of DATABASE_URL it creates a
// scratch database (the role needs CREATEDB), applies every migration to it as a server does at
// startup, prints the SQL that Prisma's schema engine would run to take it to prisma/schema.prisma,
// and drops it WITH (FORCE). Nothing printed: the schema and the migrations agree. What Prisma
// cannot express (CHECK and exclusion constraints, partial indexes, triggers) is not in the draft:
// write it into the migration by hand, with a comment. Exit 0 when the diff ran, 2 when it could not.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigError, parseConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { diffDatabaseToSchema } from '../platform/schema-diff';

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env });
  const serverUrl = config.database.url;
  if (!serverUrl) throw new Error('db:diff needs DATABASE_URL: a PostgreSQL server where it may create a scratch database.');
  const scratch = `careline_diff_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const scratchUrl = new URL(serverUrl);
  scratchUrl.pathname = `/${scratch}`;
  await onServer(serverUrl, `CREATE DATABASE "${scratch}"`);
  try {
    const database = await openDatabase(
      { ...config.database, url: scratchUrl.toString(), migrationUrl: undefined, replicaUrl: undefined, poolSize: 1 },
      createLogger(config.runtime),
    );
    await database.close();
    const sql = await diffDatabaseToSchema(scratchUrl.toString());
    if (sql === '') console.error('prisma/schema.prisma and prisma/migrations agree: no migration to draft.');
    else process.stdout.write(sql);
  } finally {
    await onServer(serverUrl, `DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError ? error.message : `db:diff could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
