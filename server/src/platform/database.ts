import { mkdirSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool } from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client';
import type { Config } from './config';
import { lockDataDir } from './data-dir-lock';
import type { Logger } from './logger';
import { runMigrations, type SqlSession } from './migrations';
import { embeddedSql, postgresSql, type Sql, type SqlDatabase } from './sql';

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
  /**
   * Single statements that a waiting answer depends on and that must not queue behind the
   * transactions waiting for `sql`'s pool: the audit's batched rows, which a read's answer and
   * every live event wait for. On PostgreSQL a connection of its own, beside DATABASE_POOL_SIZE's:
   * with the pool busy (a burst of bookings holds every connection and more wait), a delivery's
   * row would wait its turn behind them (bench/README.md, issue 24's delivery target). The
   * embedded database has one connection: `sql`'s.
   */
  readonly prioritySql: Sql;
  /**
   * The read replica's statements (DATABASE_REPLICA_URL), on a pool of its own whose sessions are
   * read-only; undefined without one. Only for reads that may lag (platform/read-replica.ts).
   */
  readonly replica: Sql | undefined;
  /** "postgres" with DATABASE_URL, "embedded" for PGlite in DATA_DIR. */
  readonly kind: 'postgres' | 'embedded';
  /** Resolves when the database answers a trivial query (used by /readyz). */
  ping(): Promise<void>;
  /** PostgreSQL's connection pool right now (for /metrics); undefined for the embedded database (one connection, no pool). */
  poolStats(): PoolStats | undefined;
  /** The replica's pool right now; undefined without a replica. */
  replicaPoolStats(): PoolStats | undefined;
  /** `prioritySql`'s connection right now; undefined for the embedded database (it has `sql`'s). */
  priorityPoolStats(): PoolStats | undefined;
  /** Resolves when the replica answers; undefined without a replica. */
  readonly pingReplica: (() => Promise<void>) | undefined;
  /** Disconnects; for the embedded database also flushes it to disk and releases the folder lock. */
  close(): Promise<void>;
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** Opens PostgreSQL (DATABASE_URL) or the embedded PGlite (DATA_DIR), and applies pending migrations (as MIGRATION_DATABASE_URL's role when set). */
export async function openDatabase(config: Config['database'], logger: Logger, options: OpenOptions = {}): Promise<Database> {
  // The configuration refuses this too (CONFIG_RULES); a caller that built its own Config must not get a silent primary-only start.
  if (!config.url && config.replicaUrl)
    throw new Error('DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database (PGlite) has no replica');
  return config.url
    ? openPostgres(
        config.url,
        config.migrationUrl ?? config.url,
        config.replicaUrl,
        config.poolSize,
        config.preparedStatements,
        logger,
        options,
      )
    : openEmbedded(config.dataDir, logger, options);
}

export interface OpenOptions {
  /** Run after the migrations as the migrating role, under the migration lock (the audit retention setting). */
  readonly afterMigrations?: (session: SqlSession) => Promise<void>;
}

async function openPostgres(
  url: string,
  migrationUrl: string,
  replicaUrl: string | undefined,
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
  // `pipeline`: a statement is sent without waiting for the answer to the one before it on the
  // same connection (pg 8.23). Only a transaction issues several at once (sql.ts): Prisma's reads
  // and the pool's single statements await each answer, so for them nothing changes.
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: TRANSACTION_LIMITS.connectionWaitMs,
    pipeline: true,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const priorityPool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: TRANSACTION_LIMITS.connectionWaitMs });
  priorityPool.on('error', (error) => logger.warn({ err: error }, 'idle priority database connection failed'));
  const replicaPool = replicaUrl ? await openReplicaPool(replicaUrl, poolSize, logger) : undefined;
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  try {
    await prisma.$connect();
  } catch (error) {
    await Promise.all([pool.end(), priorityPool.end(), replicaPool?.end()]).catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    prisma,
    sql: postgresSql(pool, { preparedStatements }),
    prioritySql: postgresSql(priorityPool, { preparedStatements }),
    replica: replicaPool ? postgresSql(replicaPool, { preparedStatements }) : undefined,
    kind: 'postgres',
    ping: async () => {
      await pool.query('SELECT 1');
    },
    poolStats: () => statsOf(pool),
    replicaPoolStats: () => (replicaPool ? statsOf(replicaPool) : undefined),
    priorityPoolStats: () => statsOf(priorityPool),
    pingReplica: replicaPool
      ? async () => {
          await replicaPool.query('SELECT 1');
        }
      : undefined,
    close: () =>
      (closing ??= (async () => {
        await prisma.$disconnect();
        if (!pool.ended) await pool.end();
        if (!priorityPool.ended) await priorityPool.end();
        if (replicaPool && !replicaPool.ended) await replicaPool.end();
      })()),
  };
}

/**
 * The replica's pool (DATABASE_REPLICA_URL), as large as the primary's. Its sessions are
 * read-only (default_transaction_read_only), so a statement that writes fails there instead of
 * writing somewhere it should not. Checked at startup: a replica that does not answer, or does
 * not hold CareLine's migrations, stops the start rather than failing the first catch-up.
 */
async function openReplicaPool(url: string, poolSize: number, logger: Logger): Promise<Pool> {
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: TRANSACTION_LIMITS.connectionWaitMs,
    options: '-c default_transaction_read_only=on',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle replica connection failed'));
  try {
    await pool.query('SELECT 1 FROM "_prisma_migrations" LIMIT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`DATABASE_REPLICA_URL: the replica cannot be read (${reason}); it must be a replica of DATABASE_URL's database`, {
      cause: error,
    });
  }
  logger.info('read replica ready: catch-up and analytics reads go to it');
  return pool;
}

function statsOf(pool: Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
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
    const sql = embeddedSql(pglite);
    return {
      prisma,
      sql,
      prioritySql: sql,
      replica: undefined,
      kind: 'embedded',
      ping: async () => {
        await pglite.query('SELECT 1');
      },
      poolStats: () => undefined,
      replicaPoolStats: () => undefined,
      priorityPoolStats: () => undefined,
      pingReplica: undefined,
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
