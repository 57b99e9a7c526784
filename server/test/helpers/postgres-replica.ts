import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { leftover } from './leftovers';
import { freePort } from './redis-server';

const run = promisify(execFile);
/** Debian's PostgreSQL 15 (STACK.md): initdb, pg_ctl, pg_basebackup. */
const BIN = process.env['TEST_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** A primary and a streaming replica of it, both this test's own, on loopback ports. */
export interface PrimaryAndReplica {
  /** postgres://postgres@127.0.0.1:<port>/postgres on the primary. */
  readonly primaryUrl: string;
  /** The same database on the replica (hot standby: reads only). */
  readonly replicaUrl: string;
  /** Runs one statement on the primary or the replica (superuser, trust) and returns its rows. */
  query(on: 'primary' | 'replica', sql: string, values?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Stops the replica's replay (pg_wal_replay_pause) and resolves once it has stopped: a lag that does not end by itself. */
  pauseReplay(): Promise<void>;
  /** Lets it replay again (it still waits recovery_min_apply_delay per commit). */
  resumeReplay(): Promise<void>;
  /** Stops both servers (immediate) and removes their folder. */
  dispose(): Promise<void>;
}

/**
 * PostgreSQL refuses to run as root: as root, every command runs as the `postgres` user
 * (runuser), in a folder it owns; otherwise as the caller.
 */
async function asPostgres(command: string, args: readonly string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
  const { stdout } = await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * initdb a primary (wal_level=replica) in a temporary folder, start it on a free loopback port,
 * pg_basebackup -R a streaming replica from it and start that on another, with
 * recovery_min_apply_delay = `applyDelay` (the replica lags by that much). Stopped and removed
 * after the test or file (leftovers.ts), also when the start fails half-way.
 */
export async function startPrimaryAndReplica(options: { applyDelay: string }): Promise<PrimaryAndReplica> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-replica-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = await postgresIds();
    await chown(dir, uid, gid);
  }
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = path.join(dir, 'primary');
  const replicaData = path.join(dir, 'replica');
  const started: string[] = [];
  const stop = async (data: string) => {
    await asPostgres(path.join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  const dispose = leftover(async () => {
    for (const data of started.reverse()) await stop(data);
    await rm(dir, { recursive: true, force: true });
  });
  // Sockets in the folder, not /var/run/postgresql: nothing shared with the machine's own server.
  const serverOptions = (port: number, extra: string) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${extra}`;
  const start = async (data: string, port: number, extra: string) => {
    started.push(data);
    await asPostgres(path.join(BIN, 'pg_ctl'), [
      '-D',
      data,
      '-o',
      serverOptions(port, extra),
      '-l',
      `${data}.log`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  };
  try {
    await asPostgres(path.join(BIN, 'initdb'), ['-D', primaryData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await start(primaryData, primaryPort, '-c wal_level=replica -c max_wal_senders=4 -c synchronous_commit=off');
    await asPostgres(path.join(BIN, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    await start(replicaData, replicaPort, `-c hot_standby=on -c recovery_min_apply_delay=${options.applyDelay}`);
  } catch (error) {
    await dispose();
    throw error;
  }
  const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  const query = async (on: 'primary' | 'replica', sql: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: on === 'primary' ? primaryUrl : replicaUrl });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    primaryUrl,
    replicaUrl,
    query,
    async pauseReplay() {
      await query('replica', 'SELECT pg_wal_replay_pause()');
      for (;;) {
        const [row] = await query('replica', 'SELECT pg_get_wal_replay_pause_state() AS state');
        if (row?.['state'] === 'paused') return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async resumeReplay() {
      await query('replica', 'SELECT pg_wal_replay_resume()');
    },
    dispose,
  };
}
