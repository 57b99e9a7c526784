import { Client } from 'pg';
import { sqlSession } from '../../test/helpers/own-database';
import { runDatabaseUrl } from '../../test/helpers/test-env';
import { createLogger } from './logger';
import { loadMigrations, runMigrations, type SqlSession } from './migrations';

const logger = createLogger({ logLevel: 'silent' });

describe('runMigrations on PostgreSQL', () => {
  let client: Client;
  let session: SqlSession;
  beforeAll(async () => {
    client = new Client({ connectionString: runDatabaseUrl() });
    await client.connect();
    session = sqlSession(client);
  });
  afterAll(async () => {
    await client.end();
  });

  it('applies every migration once and records it as Prisma does', async () => {
    await runMigrations(session, logger); // may apply, if this worker is the first
    expect(await runMigrations(session, logger)).toEqual([]);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const migrations = await loadMigrations();
    expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it('refuses to start when an applied migration file was edited afterwards', async () => {
    const [first, ...rest] = await loadMigrations();
    const edited = { ...first!, sql: `${first!.sql}\n-- edited`, checksum: 'f'.repeat(64) };
    await expect(runMigrations(session, logger, [edited, ...rest])).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const broken = {
      name: '99999999999999_broken',
      sql: 'CREATE TABLE careline_probe (id int); SELECT no_such_function();',
      checksum: 'b'.repeat(64),
    };
    await expect(runMigrations(session, logger, [...(await loadMigrations()), broken])).rejects.toThrow(
      /Migration 99999999999999_broken failed/,
    );
    const probe = await client.query("SELECT to_regclass('careline_probe') AS table");
    expect(probe.rows[0].table).toBeNull();
    const recorded = await client.query('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1', [broken.name]);
    expect(recorded.rowCount).toBe(0);
  });
});
