// REDIS_URL=rediss://… : pub/sub and rate limits talk TLS to Redis and verify its certificate.
// A private redis-server with a TLS port and a self-signed certificate made by openssl for the run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { scrape } from '../helpers/prometheus';
import { freePort } from '../helpers/redis-server';

let dir: string;
let redis: ChildProcess | undefined;
let tlsPort: number;
const servers: ChildServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'careline-redis-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  tlsPort = await freePort();
  const started = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(tlsPort),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      path.join(dir, 'cert.pem'),
      '--tls-key-file',
      path.join(dir, 'key.pem'),
      '--tls-ca-cert-file',
      path.join(dir, 'cert.pem'),
      '--tls-auth-clients',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  redis = started;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server (TLS) did not start:\n${output}`)), 10_000);
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
});
afterAll(async () => {
  for (const server of servers.splice(0)) await server.dispose();
  if (redis && redis.exitCode === null) {
    const exited = new Promise((resolve) => redis?.once('exit', resolve));
    redis.kill('SIGKILL');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

it('is ready over rediss:// when the certificate is trusted: pub/sub and the rate-limit store both connected', async () => {
  const server = await startChildServer({ REDIS_URL: `rediss://127.0.0.1:${tlsPort}`, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') });
  servers.push(server);
  const ready = await fetch(`${server.url}/readyz`);
  expect(await ready.json()).toMatchObject({ status: 'ready', pubSub: { kind: 'redis', ok: true } });
  const samples = await scrape(server.url);
  expect(samples.get('careline_component_up{component="rate_limit_store",kind="redis"}')).toBe(1);
});

it('is not ready when the certificate is not trusted (it is verified, not just encrypted)', async () => {
  const server = await startChildServer({ REDIS_URL: `rediss://127.0.0.1:${tlsPort}` });
  servers.push(server);
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ failing: ['pubSub'] });
});
