// Prisma's schema engine reaches PostgreSQL through a driver adapter. This one, over node-postgres,
// serves the schema-drift test and `npm run db:diff` only (the server never loads the engine).
// Why not @prisma/adapter-pg (7.10): it has no column type for PostgreSQL's one-byte "char", which
// the engine reads as pg_constraint.contype as soon as a table has a CHECK or exclusion constraint
// (ours do), so describing our database fails; and its executeScript splits a script at every ";",
// comments and function bodies included.
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { DatabaseError, Pool, type PoolClient, type QueryArrayResult } from 'pg';

const ADAPTER_NAME = 'careline-schema-engine-pg';

// Every type the engine's catalog queries return (engine 8.1), and the engine's name for it. node-postgres
// parses each as the engine expects (int8 stays a string). A type outside this list fails the query
// naming its OID, so a newer engine that reads another type is not misread silently.
const COLUMN_TYPES: ReadonlyMap<number, ColumnType> = new Map<number, ColumnType>([
  [16, ColumnTypeEnum.Boolean],
  [18, ColumnTypeEnum.Character], // "char"
  [19, ColumnTypeEnum.Text], // name
  [25, ColumnTypeEnum.Text],
  [1043, ColumnTypeEnum.Text], // varchar
  [21, ColumnTypeEnum.Int32],
  [23, ColumnTypeEnum.Int32],
  [20, ColumnTypeEnum.Int64],
  [26, ColumnTypeEnum.Int64], // oid
  [1009, ColumnTypeEnum.TextArray],
]);

function columnType(oid: number): ColumnType {
  const type = COLUMN_TYPES.get(oid);
  if (type === undefined) throw new DriverAdapterError({ kind: 'UnsupportedNativeDataType', type: `oid ${oid}` });
  return type;
}

/** PostgreSQL's own errors reach the engine (and the developer) with their code and detail. */
function adapterError(error: unknown): unknown {
  if (!(error instanceof DatabaseError)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code ?? 'unknown',
    severity: error.severity ?? 'ERROR',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}

class Queryable {
  readonly provider = 'postgres';
  readonly adapterName = ADAPTER_NAME;

  constructor(protected readonly client: Pool | PoolClient) {}

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const result = await this.run(query);
    return {
      columnNames: result.fields.map((field) => field.name),
      columnTypes: result.fields.map((field) => columnType(field.dataTypeID)),
      rows: result.rows,
    };
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    return (await this.run(query)).rowCount ?? 0;
  }

  private async run(query: SqlQuery): Promise<QueryArrayResult<unknown[]>> {
    try {
      return await this.client.query<unknown[]>({ text: query.sql, values: query.args, rowMode: 'array' });
    } catch (error) {
      throw adapterError(error);
    }
  }
}

// Without phantom queries the engine sends COMMIT or ROLLBACK itself; these only give the connection back.
class PgTransaction extends Queryable implements Transaction {
  readonly options = { usePhantomQuery: false };

  constructor(private readonly connection: PoolClient) {
    super(connection);
  }

  commit(): Promise<void> {
    this.connection.release();
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.connection.release();
    return Promise.resolve();
  }
}

class PgAdapter extends Queryable implements SqlDriverAdapter {
  constructor(private readonly pool: Pool) {
    super(pool);
  }

  /** A migration file, sent whole: PostgreSQL runs a multi-statement script in one simple query. */
  async executeScript(script: string): Promise<void> {
    try {
      await this.pool.query(script);
    } catch (error) {
      throw adapterError(error);
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const connection = await this.pool.connect();
    try {
      await connection.query('BEGIN');
      if (isolationLevel) await connection.query(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
    } catch (error) {
      connection.release();
      throw adapterError(error);
    }
    return new PgTransaction(connection);
  }

  getConnectionInfo() {
    return { supportsRelationJoins: true };
  }

  dispose(): Promise<void> {
    return this.pool.end();
  }
}

/** The engine's adapter factory, plus `close()` to end every connection it opened (the engine does not always dispose them). */
export interface SchemaEngineConnection extends SqlMigrationAwareDriverAdapterFactory {
  close(): Promise<void>;
}

/**
 * Connections for the schema engine to the database at `databaseUrl`. There is no shadow database:
 * CareLine applies its migrations with its own runner and lets the engine describe the result,
 * so a request for one fails naming the operation that asked.
 */
export function schemaEngineConnection(databaseUrl: string): SchemaEngineConnection {
  const pools: Pool[] = [];
  return {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    connect: () => {
      const pool = new Pool({ connectionString: databaseUrl, max: 2 });
      // A connection that fails while idle (the database dropped under it) is only discarded.
      pool.on('error', () => {});
      pools.push(pool);
      return Promise.resolve(new PgAdapter(pool));
    },
    connectToShadowDb: () =>
      Promise.reject(new Error('The schema engine asked for a shadow database; diff a database migrated by runMigrations instead.')),
    close: async () => {
      for (const pool of pools.splice(0)) if (!pool.ended) await pool.end();
    },
  };
}
