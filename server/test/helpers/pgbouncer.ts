import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { leftover } from './leftovers';
import { freePort } from './redis-server';

/** Debian's package puts it here (`apt-get install -y pgbouncer`; .ci/run installs it). */
export const PGBOUNCER_BIN = process.env['TEST_PGBOUNCER_BIN'] ?? '/usr/sbin/pgbouncer';

/** A private PgBouncer in transaction mode in front of the test PostgreSQL (127.0.0.1:5432, trust). */
export interface OwnPgBouncer {
  readonly port: number;
  /** "1.18.0" */
  readonly version: string;
  /** postgres://postgres@127.0.0.1:<port>/<database>: any database of the test server, through the pooler. */
  url(database: string): string;
  /** Runs a command on the admin console (`SHOW SERVERS`, …) and returns its rows. */
  admin(command: string): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Server connections per database and user (`default_pool_size`): small, so client connections share them. */
  readonly defaultPoolSize: number;
  /** Extra `[databases]` entries, `alias = connection string` (e.g. one with `pool_size=1`). */
  readonly databases?: Readonly<Record<string, string>>;
}

/**
 * Starts `pgbouncer` on a free loopback port with its own ini: `pool_mode = transaction`,
 * `auth_type = trust`, `server_round_robin = 1`, every database name routed to 127.0.0.1:5432. Named prepared statements
 * are not tracked (1.18 cannot; on 1.21+ `max_prepared_statements = 0` says so), as on Debian 12.
 * Stopped after the test or file (leftovers.ts). Fails, saying how to install it, when missing.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<OwnPgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) {
    throw new Error(
      `PgBouncer is not installed (${PGBOUNCER_BIN} is missing): run \`apt-get install -y pgbouncer\` (Debian's 1.18; .ci/run installs it in CI), or set TEST_PGBOUNCER_BIN.`,
    );
  }
  const { stdout } = await promisify(execFile)(PGBOUNCER_BIN, ['--version']);
  const version = /PgBouncer (\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  if (version === undefined) throw new Error(`cannot read the version of ${PGBOUNCER_BIN}: ${stdout}`);
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const tracksPrepared = major > 1 || (major === 1 && minor >= 21);

  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-pgbouncer-'));
  // PgBouncer refuses to run as root: as root it is started with `-u nobody`, who must read these files.
  await chmod(dir, 0o755);
  const ini = path.join(dir, 'pgbouncer.ini');
  const users = path.join(dir, 'users.txt');
  await writeFile(users, '"postgres" ""\n', { mode: 0o644 });
  const databases = Object.entries(options.databases ?? {}).map(([alias, target]) => `${alias} = ${target}`);
  await writeFile(
    ini,
    [
      '[databases]',
      ...databases,
      '* = host=127.0.0.1 port=5432',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${users}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      `default_pool_size = ${options.defaultPoolSize}`,
      // Idle server connections are handed out in turn, not the last used first: consecutive
      // transactions of one client land on different server connections whenever there are several.
      'server_round_robin = 1',
      'max_client_conn = 200',
      ...(tracksPrepared ? ['max_prepared_statements = 0'] : []),
      '',
    ].join('\n'),
    { mode: 0o644 },
  );

  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_BIN, [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pgbouncer did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('process up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pgbouncer exited with ${code}:\n${output}`));
    });
  });

  const stop = leftover(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGINT: PgBouncer's "safe shutdown" would wait for clients; SIGTERM closes at once.
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    version,
    url,
    async admin(command) {
      // The admin console speaks the simple query protocol only: a query without parameters.
      const client = new Client({ connectionString: url('pgbouncer') });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(command)).rows;
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
