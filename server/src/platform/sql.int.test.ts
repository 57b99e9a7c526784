// platform/sql.ts against real PostgreSQL: transactions commit, roll back on a throw, and a
// transaction that outlives its timeout is rolled back with its locks freed and the pool usable;
// on a pipelined pool, statements issued together leave in one write, in order, and one that
// fails fails the transaction; those the work did not wait for leave with COMMIT, and nothing
// the work left running can send a statement once it has ended.
import type { Duplex } from 'node:stream';
import { Pool } from 'pg';
import { createOwnDatabase } from '../../test/helpers/own-database';
import { postgresSql, type SqlDatabase } from './sql';

const CREATE = { name: 'test_create', text: 'CREATE TABLE IF NOT EXISTS sql_probe (id int PRIMARY KEY, n int NOT NULL)' };
const INSERT = { name: 'test_insert', text: 'INSERT INTO sql_probe (id, n) VALUES ($1, $2)' };
const BUMP = { name: 'test_bump', text: 'UPDATE sql_probe SET n = n + 1 WHERE id = $1 RETURNING n' };
const READ = { name: 'test_read', text: 'SELECT n FROM sql_probe WHERE id = $1' };

describe('postgresSql', () => {
  let pool: Pool;
  let sql: SqlDatabase;
  beforeAll(async () => {
    const own = await createOwnDatabase('careline_sql');
    pool = new Pool({ connectionString: own.url, max: 2 });
    sql = postgresSql(pool);
    await sql.query(CREATE, []);
  });
  afterAll(async () => {
    await pool.end();
  });

  const read = async (id: number) => (await sql.query(READ, [id]))[0];

  it('commits what the work wrote, and rolls back all of it when the work throws', async () => {
    await sql.transaction(
      async (tx) => {
        await tx.query(INSERT, [1, 0]);
        await tx.query(BUMP, [1]);
      },
      { timeoutMs: 5000 },
    );
    expect(await read(1)).toEqual({ n: 1 });

    await expect(
      sql.transaction(
        async (tx) => {
          await tx.query(BUMP, [1]);
          await tx.query(INSERT, [2, 0]);
          throw new Error('changed my mind');
        },
        { timeoutMs: 5000 },
      ),
    ).rejects.toThrow('changed my mind');
    expect([await read(1), await read(2)]).toEqual([{ n: 1 }, undefined]);
  });

  describe('on a pipelined pool', () => {
    let pipelined: Pool;
    let piped: SqlDatabase;
    /** The socket writes (system calls) of the pool's one connection. */
    let writes = 0;
    const countWrites = (stream: Duplex) => {
      const { _write: write, _writev: writev } = stream;
      stream._write = (...args) => {
        writes += 1;
        write.apply(stream, args);
      };
      if (writev) {
        stream._writev = (...args) => {
          writes += 1;
          writev.apply(stream, args);
        };
      }
    };
    beforeAll(() => {
      pipelined = new Pool({ connectionString: pool.options.connectionString, max: 1, pipeline: true });
      pipelined.on('connect', (client) => countWrites(client.connection.stream));
      piped = postgresSql(pipelined);
    });
    afterAll(async () => {
      await pipelined.end();
    });

    it('sends BEGIN and the statements issued together in one write, runs them in order, and commits', async () => {
      await piped.query(INSERT, [10, 0]); // connects, and prepares nothing the transaction needs
      writes = 0;
      const answers = await piped.transaction((tx) => Promise.all([tx.query(BUMP, [10]), tx.query(BUMP, [10]), tx.query(READ, [10])]), {
        timeoutMs: 5000,
      });
      expect(answers).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 2 }]]);
      // BEGIN with the three statements, then COMMIT: two writes, not five.
      expect(writes).toBe(2);
      expect(await read(10)).toEqual({ n: 2 });
    });

    it('fails the transaction, and commits nothing, when one statement of a pipelined batch fails', async () => {
      await piped.query(INSERT, [11, 0]);
      const failed = piped.transaction((tx) => Promise.all([tx.query(BUMP, [11]), tx.query(INSERT, [11, 5]), tx.query(BUMP, [11])]), {
        timeoutMs: 5000,
      });
      // 23505 unique_violation, the first failure: the statement behind it only says "aborted".
      await expect(failed).rejects.toMatchObject({ code: '23505' });
      expect(await read(11)).toEqual({ n: 0 });
      // The connection is clean for the next transaction.
      await piped.transaction((tx) => tx.query(BUMP, [11]), { timeoutMs: 5000 });
      expect(await read(11)).toEqual({ n: 1 });
    });

    it('sends the statements the work did not wait for with COMMIT, in the same write', async () => {
      await piped.query(INSERT, [12, 0]);
      writes = 0;
      const answer = await piped.transaction(
        (tx) => {
          void tx.query(BUMP, [12]);
          void tx.query(BUMP, [12]);
          return Promise.resolve('done');
        },
        { timeoutMs: 5000 },
      );
      expect(answer).toBe('done');
      // BEGIN, both bumps and COMMIT: one write.
      expect(writes).toBe(1);
      expect(await read(12)).toEqual({ n: 2 });
    });

    it("fails with an unawaited statement's own error, and commits nothing", async () => {
      await piped.query(INSERT, [13, 0]);
      const failed = piped.transaction(
        async (tx) => {
          await tx.query(BUMP, [13]);
          void tx.query(INSERT, [13, 5]);
          void tx.query(BUMP, [13]);
        },
        { timeoutMs: 5000 },
      );
      // 23505, not "aborted" (25P02) nor "not committed".
      await expect(failed).rejects.toMatchObject({ code: '23505' });
      expect(await read(13)).toEqual({ n: 0 });
    });

    it('refuses a statement issued after the work ended, which would run outside the transaction', async () => {
      await piped.query(INSERT, [14, 0]);
      let late: () => Promise<unknown> = () => Promise.resolve();
      await piped.transaction(
        async (tx) => {
          late = () => tx.query(BUMP, [14]);
          await tx.query(BUMP, [14]);
        },
        { timeoutMs: 5000 },
      );
      await expect(late()).rejects.toThrow("test_bump was issued after its transaction's work had ended.");
      expect(await read(14)).toEqual({ n: 1 });
    });
  });

  it('rolls back a transaction that outlives its timeout, frees its row locks and keeps the pool usable', async () => {
    await sql.query(INSERT, [3, 0]);
    let release: () => void = () => {};
    const stuck = sql.transaction(
      async (tx) => {
        await tx.query(BUMP, [3]); // holds the row lock
        await new Promise<void>((resolve) => (release = resolve));
        await tx.query(BUMP, [3]);
      },
      { timeoutMs: 300 },
    );
    await expect(stuck).rejects.toThrow(/rolled back after 300 ms/);
    release();
    // The lock is free: a second writer does not wait, and the stuck one's bump is gone.
    await sql.transaction((tx) => tx.query(BUMP, [3]), { timeoutMs: 2000 });
    expect(await read(3)).toEqual({ n: 1 });
    // Both pool connections still work (the timed-out one was discarded, not reused half-open).
    expect(await Promise.all([read(3), read(3)])).toEqual([{ n: 1 }, { n: 1 }]);
  });
});
