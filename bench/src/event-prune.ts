// npm run bench:event-prune [-- --events=200000]: what removing one day of published events past
// EVENT_RETENTION costs on PostgreSQL, before and after the outbox was partitioned by day
// (migration 20261218000000_events_partitioned_by_day). Two fresh databases on the same server:
// - before: the migrations up to the one before it; the day is removed as the dispatcher used to,
//   `DELETE ... WHERE id IN (SELECT ... LIMIT 1000)` until a batch comes back short, then VACUUM
//   (the dead rows it leaves are work too);
// - after: every migration; the day is its own partition: events_prune detaches it (the part
//   that holds the lock on events), events_drop_detached drops it (the part that removes files).
// Each database holds the old day (`--events` rows, ten days ago) and a tenth of that today, which
// must survive. Prints the times in ms and the rows left. Wall-clock times on a shared machine:
// run it twice and read the order of magnitude.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { createBenchDatabase } from './support/database';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');
const PARTITIONING = '20261218000000_events_partitioned_by_day';
const DAY_MS = 86_400_000;
const BATCH = 1000;

function eventsOption(): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--events='));
  const value = arg ? Number(arg.slice('--events='.length)) : 200_000;
  if (!Number.isInteger(value) || value < 1000 || value > 10_000_000)
    throw new Error('--events must be a whole number from 1000 to 10000000');
  return value;
}

async function migrate(client: Client, partitioned: boolean): Promise<void> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    if (!partitioned && name >= PARTITIONING) break;
    await client.query(await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'));
  }
}

/** `count` published events of 100 streams at `at` (and the seconds after it), seq continuing from `fromSeq`. */
async function fill(client: Client, at: Date, count: number, fromSeq: number): Promise<void> {
  await client.query(
    `INSERT INTO events (stream, seq, topic, payload, created_at, published_at)
     SELECT 'doctor:' || (i % 100), $3::bigint + i / 100, 'PATIENT_ADDED',
            jsonb_build_object('seq', $3::bigint + i / 100, 'doctorId', 'x', 'firstVisit', false, 'pad', repeat('x', 300)),
            $1::timestamptz + (i % 3600) * interval '1 second', $1::timestamptz + (i % 3600) * interval '1 second'
     FROM generate_series(0, $2::int - 1) AS i`,
    [at.toISOString(), count, fromSeq],
  );
}

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measure(partitioned: boolean, events: number): Promise<Record<string, number | string>> {
  const database = await createBenchDatabase();
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrate(client, partitioned);
    const now = new Date();
    const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 10 * DAY_MS);
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    // The history partition would hold the old day: a deployment that has run a while has only days.
    if (partitioned) {
      await client.query('ALTER TABLE events DETACH PARTITION events_history');
      await client.query('DROP TABLE events_history');
      await client.query('SELECT events_prepare_partitions($1::timestamptz, 0)', [old.toISOString()]);
      await client.query('SELECT events_prepare_partitions(now(), 3)');
    }
    await fill(client, old, events, 1);
    await fill(client, today, events / 10, events);
    await client.query('VACUUM ANALYZE events');
    const cutoff = new Date(now.getTime() - 7 * DAY_MS).toISOString();
    let prune: number;
    let vacuum = 0;
    let drop = 0;
    if (partitioned) {
      prune = await elapsed(() => client.query('SELECT * FROM events_prune($1::timestamptz, $2::int)', [cutoff, BATCH]));
      drop = await elapsed(() => client.query('SELECT events_drop_detached()'));
    } else {
      prune = await elapsed(async () => {
        for (;;) {
          const { rows } = await client.query<{ deleted: number }>(
            `WITH deleted AS (
               DELETE FROM events WHERE id IN (
                 SELECT id FROM events WHERE created_at < $1::timestamptz AND published_at IS NOT NULL LIMIT $2::int)
               RETURNING 1)
             SELECT count(*)::int AS deleted FROM deleted`,
            [cutoff, BATCH],
          );
          if (rows[0]!.deleted < BATCH) break;
        }
      });
      vacuum = await elapsed(() => client.query('VACUUM events'));
    }
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    return {
      layout: partitioned
        ? 'partitioned by day: events_prune detaches the day (under the lock), events_drop_detached drops it (not)'
        : 'one table: DELETE ... LIMIT 1000 batches, then VACUUM',
      pruneMs: Math.round(prune),
      dropMs: Math.round(drop),
      vacuumMs: Math.round(vacuum),
      rowsLeft: rows[0]!.n,
    };
  } finally {
    await client.end();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const events = eventsOption();
  const before = await measure(false, events);
  const after = await measure(true, events);
  console.log(JSON.stringify({ events, kept: events / 10, before, after }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
