import { mkdirSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool } from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client';
import type { Config } from './config';
import { lockDataDir } from './data-dir-lock';
import type { Logger } from './logger';
import { runMigrations, type SqlSession } from './migrations';
import { embeddedSql, postgresSql, type SqlDatabase } from './sql';

export type { PrismaClient };

/** The methods of a Prisma model that only read. */
type ReadMethod = 'findMany' | 'findUnique' | 'findUniqueOrThrow' | 'findFirst' | 'findFirstOrThrow' | 'count' | 'aggregate' | 'groupBy';

/**
 * Prisma's typed client with its read methods only: how the modules read the tables they own
 * (writes are statements in a transaction, live/transactions.ts; see
 * docs/decisions/0001-one-way-to-the-database.md). The compiler refuses a `create` or an
 * `$executeRaw` here.
 */
export type PrismaReader = {
  readonly [Model in Uncapitalize<Prisma.ModelName>]: Pick<PrismaClient[Model], Extract<keyof PrismaClient[Model], ReadMethod>>;
};

/**
 * How long a transaction may wait for a connection, and run. Generous: on PostgreSQL one waits
 * only for another of the same doctor or patient (row and stream locks); on the embedded
 * database every transaction waits for the one before it.
 */
export const TRANSACTION_LIMITS = { connectionWaitMs: 10_000, timeoutMs: 15_000 } as const;

/** The database of one server instance: statements and transactions, Prisma's typed reads, and what operators need to know of it. */
export interface Database {
  /** Prisma's whole client: the composition hands out its reads only (PrismaReader); tests and tools use the rest. */
  readonly prisma: PrismaClient;
  /** Statements, and transactions of them (platform/sql.ts); live/transactions.ts is the one caller of `transaction`. */
  readonly sql: SqlDatabase;
  /** "postgres" with DATABASE_URL, "embedded" for PGlite in DATA_DIR. */
  readonly kind: 'postgres' | 'embedded';
  /** Resolves when the database answers a trivial query (used by /readyz). */
  ping(): Promise<void>;
  /** PostgreSQL's connection pool right now (for /metrics); undefined for the embedded database (one connection, no pool). */
  poolStats(): { readonly total: number; readonly idle: number; readonly waiting: number } | undefined;
  /** Disconnects; for the embedded database also flushes it to disk and releases the folder lock. */
  close(): Promise<void>;
}

/** Opens PostgreSQL (DATABASE_URL) or the embedded PGlite (DATA_DIR), and applies pending migrations (as MIGRATION_DATABASE_URL's role when set). */
export async function openDatabase(config: Config['database'], logger: Logger, options: OpenOptions = {}): Promise<Database> {
  return config.url
    ? openPostgres(config.url, config.migrationUrl ?? config.url, config.poolSize, config.preparedStatements, logger, options)
    : openEmbedded(config.dataDir, logger, options);
}

export interface OpenOptions {
  /** Run after the migrations as the migrating role, under the migration lock (the audit retention setting). */
  readonly afterMigrations?: (session: SqlSession) => Promise<void>;
}

async function openPostgres(
  url: string,
  migrationUrl: string,
  poolSize: number,
  preparedStatements: boolean,
  logger: Logger,
  options: OpenOptions,
): Promise<Database> {
  // Migrations as the tables' owner (MIGRATION_DATABASE_URL, else the same role), the rest as DATABASE_URL's role.
  // They send unnamed statements only and hold nothing between transactions, so either URL may be a transaction pooler.
  const client = new Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    await runMigrations(pgSession(client), logger, undefined, options.afterMigrations);
  } catch (error) {
    // 42501 insufficient_privilege: a restricted role (docs/operating.md) asked to migrate.
    if (migrationUrl === url && error instanceof Error && 'code' in error && error.code === '42501') {
      throw new Error(`${error.message}: DATABASE_URL's role may not migrate; set MIGRATION_DATABASE_URL to the tables' owner`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await client.end();
  }
  // Our own pool (not one the adapter builds) so /metrics can read its counts, shared by the
  // statements and Prisma's reads (the adapter sends unnamed statements). Waiting for a free connection is bounded.
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: TRANSACTION_LIMITS.connectionWaitMs });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  await prisma.$connect();
  let closing: Promise<void> | undefined;
  return {
    prisma,
    sql: postgresSql(pool, { preparedStatements }),
    kind: 'postgres',
    ping: async () => {
      await pool.query('SELECT 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () =>
      (closing ??= (async () => {
        await prisma.$disconnect();
        if (!pool.ended) await pool.end();
      })()),
  };
}

async function openEmbedded(dataDir: string, logger: Logger, options: OpenOptions): Promise<Database> {
  const lock = lockDataDir(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
    // PGlite and its adapter load lazily: a PostgreSQL deployment never pays for the WASM build.
    const { PGlite } = await import('@electric-sql/pglite');
    const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
    const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const pglite = await PGlite.create({ dataDir, extensions: { btree_gist, pgcrypto } });
    await runMigrations(
      {
        query: async <Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
          (await pglite.query<Row>(sql, params ? [...params] : undefined)).rows,
        exec: async (script) => {
          await pglite.exec(script);
        },
      },
      logger,
      undefined,
      options.afterMigrations,
    );
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    await prisma.$connect();
    logger.info({ dataDir }, 'embedded PostgreSQL (PGlite) ready');
    return {
      prisma,
      sql: embeddedSql(pglite),
      kind: 'embedded',
      ping: async () => {
        await pglite.query('SELECT 1');
      },
      poolStats: () => undefined,
      close: async () => {
        try {
          await prisma.$disconnect();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function pgSession(client: Client): SqlSession {
  return {
    query: async <Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
      (await client.query<Row>(sql, params ? [...params] : undefined)).rows,
    exec: async (script) => {
      await client.query(script);
    },
  };
}
