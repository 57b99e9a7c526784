import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger';

/** The smallest SQL surface both node-postgres and PGlite offer; migrations need nothing more. */
export interface SqlSession {
  /** Runs one parameterised statement and returns its rows. */
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (a migration file). */
  exec(script: string): Promise<void>;
}

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Default location: prisma/migrations at the repository root. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');

// Any constant shared by every CareLine instance; two instances starting together migrate one at a time.
export const MIGRATION_LOCK_KEY = 7_250_311_042;

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order, with Prisma's checksum (sha256 of the file). */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations, one transaction per file, recording them in Prisma's own
 * `_prisma_migrations` table so `prisma migrate status` agrees with us. Refuses to start when an
 * applied migration's file has changed since (its checksum differs): editing history is a bug.
 * Returns the names it applied.
 *
 * Every step is one transaction that first takes the migration lock with
 * `pg_advisory_xact_lock` (released by its COMMIT or ROLLBACK), then reads what is applied and
 * applies the next file. Nothing is held between transactions, so this works behind a pooler in
 * transaction mode (PgBouncer), where consecutive transactions of one client may run on different
 * server connections: a session-level lock would be taken on one and "released" on another.
 */
export async function runMigrations(
  session: SqlSession,
  logger: Logger,
  migrations?: readonly Migration[],
  /** Run after the migrations, still under the migration lock and in its transaction (settings only its owner may make). */
  after?: (session: SqlSession) => Promise<void>,
): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  const done: string[] = [];
  for (;;) {
    const applied = await inTransaction(session, async () => {
      await session.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await session.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const rows = await session.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      const checksums = new Map(rows.map((row) => [row.migration_name, row.checksum]));
      for (const migration of all) {
        const checksum = checksums.get(migration.name);
        if (checksum !== undefined && checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum differs). ` +
              'Add a new migration instead of editing an applied one.',
          );
        }
      }
      const next = all.find((migration) => !checksums.has(migration.name));
      if (next === undefined) {
        await after?.(session);
        return undefined;
      }
      try {
        await session.exec(next.sql);
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), next.checksum, next.name],
        );
      } catch (error) {
        throw new Error(`Migration ${next.name} failed: ${(error as Error).message}`, { cause: error });
      }
      return next.name;
    });
    if (applied === undefined) return done;
    logger.info({ migration: applied }, 'applied migration');
    done.push(applied);
  }
}

/** BEGIN, `work`, COMMIT; ROLLBACK when it throws (the work's error is the one reported). */
async function inTransaction<R>(session: SqlSession, work: () => Promise<R>): Promise<R> {
  await session.exec('BEGIN');
  let result: R;
  try {
    result = await work();
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await session.exec('COMMIT');
  return result;
}
