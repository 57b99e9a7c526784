import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { leftover } from './leftovers';

const run = promisify(execFile);

/** One node of CLUSTER NODES. */
export interface ClusterNode {
  readonly id: string;
  readonly port: number;
  readonly master: boolean;
  readonly failed: boolean;
  /** The master this replica follows ("-" for a master). */
  readonly masterId: string;
  /** Slot ranges a master owns, [from, to] inclusive. */
  readonly slots: ReadonlyArray<readonly [number, number]>;
}

/**
 * A Redis Cluster of its own on loopback ports (Debian's redis-server, cluster mode): 3 masters
 * and 3 replicas, `--cluster-node-timeout 2000`, replicas that always fail over
 * (`--cluster-replica-validity-factor 0`), no persistence. Every process is a child of the
 * test, stopped by dispose() (also after the file: leftovers.ts), paused ones resumed first.
 */
export interface OwnRedisCluster {
  /** `127.0.0.1:P,...` for REDIS_CLUSTER_NODES. */
  readonly nodesSetting: string;
  readonly ports: readonly number[];
  /** `redis-cli -p port args...`: its output, trimmed. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** CLUSTER NODES as one live node sees it. */
  nodes(): Promise<ClusterNode[]>;
  /** The hash slot of a key or channel. */
  keySlot(key: string): Promise<number>;
  /** The master that owns the slot now, as the live nodes see it. */
  masterOf(slot: number): Promise<ClusterNode>;
  kill(port: number): Promise<void>;
  pause(port: number): void;
  resume(port: number): void;
  dispose(): Promise<void>;
}

/** Two free loopback ports P and P + 10000 (the cluster bus), P below 55535. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
  throw new Error('no free port pair for a cluster node');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] = line.trim().split(' ');
      const port = Number(address.split('@')[0]?.split(':')[1]);
      const flagList = flags.split(',');
      return {
        id,
        port,
        master: flagList.includes('master'),
        failed: flagList.includes('fail') || flagList.includes('fail?'),
        masterId,
        slots: slots
          .filter((slot) => !slot.startsWith('['))
          .map((slot) => {
            const [from, to] = slot.split('-');
            return [Number(from), Number(to ?? from)] as const;
          }),
      };
    });
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < 6; i += 1) ports.push(await freeClusterPort(taken));
  const children = new Map<number, ChildProcess>();
  const down = new Set<number>();
  const paused = new Set<number>();

  const startNode = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          path.join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          // A replica takes over however long it was cut off from its master (a paused master
          // comes back as a replica and may be the only one left): the test's faults follow each other fast.
          '--cluster-replica-validity-factor',
          '0',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.set(port, child);
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server ${port} did not start:\n${output}`)), 10_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server ${port} exited with ${code}:\n${output}`));
      });
    });

  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  const live = () => ports.find((port) => !down.has(port) && !paused.has(port)) ?? ports[0]!;
  const nodes = async () => parseClusterNodes(await cli(live(), 'CLUSTER', 'NODES'));

  const kill = async (port: number) => {
    const child = children.get(port);
    down.add(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (paused.has(port)) child.kill('SIGCONT');
    paused.delete(port);
    child.kill('SIGKILL');
    await exited;
  };

  const dispose = leftover(async () => {
    await Promise.all(ports.map((port) => kill(port)));
    await rm(dir, { recursive: true, force: true });
  });

  try {
    await Promise.all(ports.map((port) => startNode(port)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    // Every node agrees the cluster is up, and each replica has its master.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(ports.map((port) => cli(port, 'CLUSTER', 'INFO')));
      const known = await nodes();
      if (states.every((state) => state.includes('cluster_state:ok')) && known.filter((node) => node.master).length === 3) break;
      if (Date.now() > deadline) throw new Error(`the cluster did not come up:\n${states.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await dispose();
    throw error;
  }

  return {
    nodesSetting: ports.map((port) => `127.0.0.1:${port}`).join(','),
    ports,
    cli,
    nodes,
    keySlot: async (key) => Number(await cli(live(), 'CLUSTER', 'KEYSLOT', key)),
    async masterOf(slot) {
      const owner = (await nodes()).find(
        (node) => node.master && !node.failed && node.slots.some(([from, to]) => slot >= from && slot <= to),
      );
      if (!owner) throw new Error(`no live master owns slot ${slot}`);
      return owner;
    },
    kill,
    pause(port) {
      paused.add(port);
      children.get(port)?.kill('SIGSTOP');
    },
    resume(port) {
      paused.delete(port);
      children.get(port)?.kill('SIGCONT');
    },
    dispose,
  };
}
