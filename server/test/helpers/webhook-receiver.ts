import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Arrivals } from './arrivals';
import { leftover } from './leftovers';

/** One request the receiver got: headers and the raw body exactly as sent (signatures cover it). */
export interface ReceivedHook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly status: number;
  readonly receivedAtMs: number;
}

/** A real HTTP server on a loopback port standing in for a clinic's system. Closed after the test or file. */
export interface WebhookReceiver {
  /** http://127.0.0.1:<port>/hooks */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly ReceivedHook[];
  /** TCP connections ever accepted (0 proves a refused URL was never even connected to). */
  connections(): number;
  /** Resolves once `count` requests arrived; rejects after timeoutMs. */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly ReceivedHook[]>;
  close(): Promise<void>;
}

/** Answers each request with the next status of `statuses` (the last one repeats). */
export async function startWebhookReceiver(statuses: readonly number[] = [200]): Promise<WebhookReceiver> {
  const requests: ReceivedHook[] = [];
  const arrivals = new Arrivals();
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)] ?? 200;
      requests.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), status, receivedAtMs: Date.now() });
      res.writeHead(status).end();
      arrivals.notify();
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    requests,
    connections: () => connections,
    waitForRequests: async (count, timeoutMs = 10_000) => {
      await arrivals.until(
        () => requests.length >= count,
        timeoutMs,
        () => `${requests.length} of ${count} webhook requests`,
      );
      return requests;
    },
    close: leftover(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  };
}
