// A push service and a browser, both played by the test: an HTTPS server on a loopback port with a
// self-signed certificate made by openssl for the run (web-push always uses https.request), and a
// browser's P-256 key pair and auth secret that decrypt what arrives with `http_ece` (RFC 8188 /
// RFC 8291), independently of the web-push package that encrypted it. VAPID (RFC 8292) is checked
// with node's own ECDSA verification, not web-push's JWT code.
import { execFileSync } from 'node:child_process';
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ece from 'http_ece';
import { Arrivals } from './arrivals';
import { leftover } from './leftovers';

/** One request the push service got. */
export interface ReceivedPush {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly status: number;
}

/** What the service answers to one request. */
export interface PushAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Record the request but never answer it (a push service that holds the sender, until close). */
  readonly stall?: boolean;
}

/** One browser's subscription at this service, with the keys that open its messages. */
export interface TestBrowser {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  /** Decrypts an aes128gcm body sent to this subscription (http_ece). */
  decrypt(body: Buffer): string;
}

export interface PushReceiver {
  /** The service's certificate (PEM): the server's push requests trust it (pushAgentOptions.ca). */
  readonly ca: string;
  readonly origin: string;
  readonly requests: readonly ReceivedPush[];
  /** A new browser subscription whose endpoint is https://localhost:<port>/push/<id>. */
  browser(): TestBrowser;
  /** What the next requests get (the last one repeats; default 201). */
  answer(...answers: PushAnswer[]): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly ReceivedPush[]>;
  close(): Promise<void>;
}

export async function startPushReceiver(): Promise<PushReceiver> {
  const dir = mkdtempSync(path.join(tmpdir(), 'careline-push-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });

  const requests: ReceivedPush[] = [];
  const arrivals = new Arrivals();
  let answers: PushAnswer[] = [{ status: 201 }];
  const server = createServer({ cert: ca, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), status: answer.status });
      if (!answer.stall) res.writeHead(answer.status, answer.headers).end();
      arrivals.notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://localhost:${port}`;
  const close = leftover(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    ca,
    origin,
    requests,
    browser: () => testBrowser(`${origin}/push/${randomBytes(8).toString('hex')}`),
    answer: (...next) => (answers = next),
    waitForRequests: async (count, timeoutMs = 15_000) => {
      await arrivals.until(
        () => requests.length >= count,
        timeoutMs,
        () => `${requests.length} of ${count} push requests`,
      );
      return requests;
    },
    close,
  };
}

/** A browser's keys (as PushSubscription.getKey gives them) for `endpoint`. */
export function testBrowser(endpoint: string, ecdh: ECDH = newKeyPair(), authSecret: Buffer = randomBytes(16)): TestBrowser {
  return {
    endpoint,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: authSecret.toString('base64url'),
    decrypt: (body) =>
      ece.decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: authSecret.toString('base64url') }).toString('utf8'),
  };
}

function newKeyPair(): ECDH {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return ecdh;
}

/** The VAPID claims of a request whose `Authorization: vapid t=<JWT>, k=<key>` verified (ES256) under `publicKey`; throws otherwise. */
export function verifyVapid(headers: IncomingHttpHeaders, publicKey: string): { aud: string; exp: number; sub: string } {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(headers.authorization ?? '');
  if (!match) throw new Error(`no VAPID Authorization header: ${headers.authorization ?? '(none)'}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  if (k !== publicKey) throw new Error('the k parameter is not the VAPID public key');
  const [header, claims, signature] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!ok) throw new Error('the VAPID JWT signature does not verify');
  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
  if (parsedHeader.alg !== 'ES256') throw new Error(`VAPID JWT alg ${parsedHeader.alg}`);
  return JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud: string; exp: number; sub: string };
}
