// Stand-ins for a clinic's mail relay and its HTTP endpoint, on loopback ports, recording when each
// message fully arrived (epoch ms, as the bench's clock.ts counts).
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { epochNowMs } from '../src/clock';

/** Something received, with the moment its last byte arrived. */
export interface Received {
  /** SMTP: the envelope's recipients; HTTP: the raw body. */
  readonly text: string;
  readonly receivedAtMs: number;
}

/** A receiver of messages: its URL, and a bounded wait for a message that matches. */
export interface Receiver {
  readonly url: string;
  /** Resolves with the first message received (before or after the call) that matches; rejects after timeoutMs. */
  waitFor(match: (received: Received) => boolean, timeoutMs: number): Promise<Received>;
  close(): Promise<void>;
}

function inbox(): { add(received: Received): void; waitFor: Receiver['waitFor'] } {
  const messages: Received[] = [];
  const listeners = new Set<() => void>();
  return {
    add(received) {
      messages.push(received);
      for (const listener of [...listeners]) listener();
    },
    waitFor: (match, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      }),
  };
}

/** A real SMTP server (the `smtp-server` package, no TLS, no auth) that accepts every message. */
export async function startSmtpReceiver(): Promise<Receiver> {
  const received = inbox();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((address) => address.address).join(',');
      stream.on('end', () => {
        received.add({ text: recipients, receivedAtMs: epochNowMs() });
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the SMTP receiver has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    waitFor: received.waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP server that answers 200 to every request. */
export async function startWebhookReceiver(): Promise<Receiver> {
  const received = inbox();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.add({ text: Buffer.concat(chunks).toString('utf8'), receivedAtMs: epochNowMs() });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the webhook receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hooks`,
    waitFor: received.waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
