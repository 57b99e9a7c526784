import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A Redis Cluster of the bench's own: 3 masters and 3 replicas of Debian's redis-server on loopback. */
export interface BenchRedisCluster {
  /** `127.0.0.1:P,...` for REDIS_CLUSTER_NODES. */
  readonly nodesSetting: string;
  stop(): Promise<void>;
}

/**
 * Starts six cluster-mode redis-server processes on free ports (P and the bus port P + 10000) and
 * joins them with `redis-cli --cluster create --cluster-replicas 1`; resolves once every node says
 * `cluster_state:ok`. The e2e test has its own, with faults (server/test/helpers/redis-cluster.ts):
 * the bench speaks to CareLine from outside and imports nothing of the server.
 */
export async function startBenchRedisCluster(): Promise<BenchRedisCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'careline-bench-cluster-'));
  const ports: number[] = [];
  while (ports.length < 6) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (!ports.includes(port) && (await isFree(port)) && (await isFree(port + 10_000))) ports.push(port);
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((port) => startNode(port, dir, children)));
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(ports.map(async (port) => (await run('redis-cli', ['-p', String(port), 'CLUSTER', 'INFO'])).stdout));
      if (states.every((state) => state.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error('the bench Redis Cluster did not come up');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { nodesSetting: addresses.join(','), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startNode(port: number, dir: string, children: ChildProcess[]): Promise<void> {
  return new Promise((resolve, reject) => {
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
      ].concat(['--cluster-node-timeout', '2000', '--dir', dir, '--save', '', '--appendonly', 'no']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
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
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
