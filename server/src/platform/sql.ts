import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { isAbortedTransactionError } from './errors';

/**
 * One SQL statement of the module that owns the tables it names (`npm run check` enforces the
 * owners: scripts/check-table-owners.ts). Its `name` makes PostgreSQL parse and plan it once per
 * connection and reuse the plan; the same name must always carry the same text. With
 * DATABASE_PREPARED_STATEMENTS=false (behind PgBouncer in transaction mode) the name is not sent.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/**
 * A statement with its values, not sent yet: what a transaction's event tap hands back as its
 * last writes, which leave with COMMIT (live/transactions.ts).
 */
export interface SqlWrite {
  readonly statement: Statement;
  readonly values: readonly unknown[];
}

/**
 * How CareLine writes to the database, and reads where one statement must read across tables:
 * statements on the connections, without the ORM layer, so each is one round trip and costs the
 * server little more than encoding its parameters. Inside a transaction this is the transaction's
 * connection (live/transactions.ts hands it out as `Tx`); outside, each statement commits on its
 * own. Rows come back as `unknown`: the caller decodes them (they cross a trust boundary, and the
 * two drivers differ in how they hand back int8 and jsonb; see sql-values.ts).
 */
export interface Sql {
  query(statement: Statement, values: readonly unknown[]): Promise<unknown[]>;
}

/** Statements on the pool, and transactions on one connection of it. */
export interface SqlDatabase extends Sql {
  /**
   * Runs `work` in BEGIN ... COMMIT on one connection (ROLLBACK when it throws). A transaction
   * still open after `timeoutMs` is rolled back by closing its connection, as Prisma's
   * interactive transactions do, so a stuck one cannot hold its locks.
   *
   * Statements the work issues without awaiting the one before run in the order issued, and on
   * PostgreSQL go out together: on a pipelined pool (openDatabase sets `pipeline`) every statement
   * issued in one turn of the event loop, BEGIN with the first, leaves in one socket write and is
   * answered in one round trip. Each keeps its own result and error; after a failed one the rest
   * fail with "current transaction is aborted", and nothing commits.
   *
   * Statements the work issued in its last turn and did not wait for leave with COMMIT, in the
   * same write: a transaction whose last write nobody needs the answer of saves a round trip (and
   * holds its row locks that much shorter). Their failure is the transaction's: it rejects with
   * the first statement's own error, never "aborted", and nothing commits.
   */
  transaction<R>(work: (sql: Sql) => Promise<R>, options: { readonly timeoutMs: number }): Promise<R>;
}

export interface PostgresSqlOptions {
  /**
   * Send each statement's name, so the connection prepares it once (DATABASE_PREPARED_STATEMENTS).
   * false: every statement goes as PostgreSQL's unnamed statement, parsed on each run, which is what
   * a transaction pooler that does not track prepared statements (PgBouncer before 1.21) can carry:
   * it hands consecutive transactions of one client connection to different server connections.
   */
  readonly preparedStatements: boolean;
}

/** The pool's raw SQL, with named (prepared) statements unless `preparedStatements` is false. */
export function postgresSql(pool: Pool, { preparedStatements }: PostgresSqlOptions = { preparedStatements: true }): SqlDatabase {
  const run = preparedStatements ? runNamed : runUnnamed;
  return {
    query: (statement, values) => run(pool, statement, values),
    async transaction(work, { timeoutMs }) {
      const client = await pool.connect();
      let released = false;
      // release(error) closes the session instead of returning it to the pool.
      const release = (error?: Error) => {
        if (released) return;
        released = true;
        client.release(error);
      };
      let timer: NodeJS.Timeout | undefined;
      // Closing the session makes PostgreSQL roll the transaction back and free its locks at once;
      // the caller hears of it then too, not when its work next touches the database.
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          release(new Error('transaction timed out'));
          reject(new Error(`The transaction was rolled back after ${timeoutMs} ms.`));
        }, timeoutMs);
      });
      const together = writeTogether(client);
      const issued: Array<Promise<unknown>> = [];
      let ended = false;
      const attempt = (async () => {
        together();
        // Not awaited: it leaves with the work's first statement. It fails only with the
        // connection, and then so does every statement behind it.
        const begun = client.query('BEGIN');
        begun.catch(() => undefined);
        const working = work({
          query: (statement, values) => {
            // Something the work left running would send it after COMMIT or ROLLBACK, outside the transaction.
            if (ended) return Promise.reject(new Error(`${statement.name} was issued after its transaction's work had ended.`));
            together();
            const rows = run(client, statement, values);
            // Observed here: one the work did not wait for fails the transaction below instead.
            rows.catch(() => undefined);
            issued.push(rows);
            return rows;
          },
        });
        const result = await working.finally(() => (ended = true));
        // Still in the turn the work ended in: COMMIT joins the statements it left unawaited.
        together();
        const committing = client.query('COMMIT');
        await begun;
        const committed = await committing;
        // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error: a pipelined
        // statement that failed unobserved must not pass for committed.
        if (committed.command !== 'COMMIT') {
          throw (await firstOwnFailure(issued)) ?? new Error(`The transaction was not committed (${committed.command}).`);
        }
        return result;
      })();
      try {
        return await Promise.race([attempt, timedOut]);
      } catch (error) {
        if (!released) {
          // A connection that cannot even roll back is discarded rather than handed to the next caller.
          await client.query('ROLLBACK').catch((rollbackError: unknown) => release(asError(rollbackError)));
        }
        throw error;
      } finally {
        clearTimeout(timer);
        // The work of a timed-out transaction fails on its closed session; nobody waits for it.
        attempt.catch(() => undefined);
        release();
      }
    },
  };
}

/**
 * The embedded database's raw SQL. PGlite has one session and runs each query and each
 * transaction exclusively (the Prisma adapter goes through the same queue), so a transaction here
 * waits for the one before it, as every write on the embedded database does. Its timeout is not
 * enforced: the one session cannot be closed without closing the database. The hot paths' work
 * only runs statements, so it cannot hang on anything but the database itself.
 */
export function embeddedSql(pglite: {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  transaction<R>(work: (tx: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<R>): Promise<R>;
}): SqlDatabase {
  return {
    query: async (statement, values) => (await pglite.query(statement.text, [...values])).rows,
    transaction: (work) =>
      pglite.transaction(async (tx) => {
        // Statements issued together run one after another, in the order issued, as on PostgreSQL.
        let previous: Promise<unknown> = Promise.resolve();
        const issued: Array<Promise<unknown>> = [];
        const result = await work({
          query: (statement, values) => {
            const rows = previous.then(async () => (await tx.query(statement.text, [...values])).rows);
            previous = rows.catch(() => undefined);
            issued.push(rows);
            return rows;
          },
        });
        // The ones the work did not wait for run before the commit, and fail the transaction, as on PostgreSQL.
        const failure = await firstOwnFailure(issued);
        if (failure !== undefined) throw failure;
        return result;
      }),
  };
}

/**
 * Holds the connection's writes until the end of the current turn of the event loop (cork, then
 * uncork on the next tick), so the statements a transaction issues together leave in one socket
 * write: on loopback each write costs a system call that also wakes the database's backend, the
 * largest share of the booking path's CPU (bench/README.md). Call before each statement.
 */
function writeTogether(client: PoolClient): () => void {
  const stream = client.connection.stream;
  let corked = false;
  return () => {
    if (corked) return;
    corked = true;
    stream.cork();
    process.nextTick(() => {
      corked = false;
      stream.uncork();
    });
  };
}

async function runNamed(client: Pool | PoolClient, statement: Statement, values: readonly unknown[]): Promise<unknown[]> {
  try {
    const result = await client.query<Record<string, unknown>>({ name: statement.name, text: statement.text, values: [...values] });
    return result.rows;
  } catch (error) {
    throw explainPooler(error);
  }
}

async function runUnnamed(client: Pool | PoolClient, statement: Statement, values: readonly unknown[]): Promise<unknown[]> {
  const result = await client.query<Record<string, unknown>>({ text: statement.text, values: [...values] });
  return result.rows;
}

// 26000 invalid_sql_statement_name ("prepared statement … does not exist") and 42P05
// duplicate_prepared_statement ("… already exists"): node-postgres prepares each name once per
// connection, so either one means the server connection under it changed between statements.
const POOLER_CODES: ReadonlySet<string> = new Set(['26000', '42P05']);

/** Names the cause and the setting when a named statement met a transaction pooler; other errors pass unchanged. */
function explainPooler(error: unknown): unknown {
  if (!(error instanceof DatabaseError) || error.code === undefined || !POOLER_CODES.has(error.code)) return error;
  return new Error(
    `${error.message}: DATABASE_URL looks like a pooler in transaction mode (PgBouncer before 1.21) that does not keep ` +
      'named prepared statements; set DATABASE_PREPARED_STATEMENTS=false (docs/operating.md, "PgBouncer")',
    { cause: error },
  );
}

/**
 * The error of the first statement that failed for a reason of its own: the ones behind it only
 * say the transaction was aborted (25P02).
 */
async function firstOwnFailure(statements: ReadonlyArray<Promise<unknown>>): Promise<unknown> {
  for (const outcome of await Promise.allSettled(statements)) {
    if (outcome.status === 'rejected' && !isAbortedTransactionError(outcome.reason)) return outcome.reason;
  }
  return undefined;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
