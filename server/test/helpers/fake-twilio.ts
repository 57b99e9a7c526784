import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Arrivals } from './arrivals';
import { leftover } from './leftovers';

/** One Messages.json POST as the fake received it. */
export interface ReceivedText {
  readonly accountSid: string;
  /** The form fields: To, Body, From or MessagingServiceSid, StatusCallback. */
  readonly params: Readonly<Record<string, string>>;
  /** Basic auth user (the account SID) when the credentials matched. */
  readonly authorized: boolean;
  readonly sid: string | undefined;
  readonly answered: number;
}

/** How the fake answers the next Messages.json POST. */
export type FakeAnswer = 'accept' | 'unsubscribed' | 'server-error' | 'stall';

/**
 * A loopback HTTP server standing in for api.twilio.com: it records each POST to
 * /2010-04-01/Accounts/<sid>/Messages.json and answers like Twilio (201 with the message resource,
 * 400 with error 21610, or 500 with error 20500), each answer taken from a queue (then `accept`).
 */
export interface FakeTwilio {
  /** http://127.0.0.1:<port>: TWILIO_API_BASE_URL. */
  readonly url: string;
  readonly texts: readonly ReceivedText[];
  /** Answers for the next POSTs, in order. */
  answerNext(...answers: FakeAnswer[]): void;
  /** Resolves once `count` POSTs arrived, whatever the answer; rejects after timeoutMs. */
  waitForPosts(count: number, timeoutMs?: number): Promise<readonly ReceivedText[]>;
  /** Resolves once `count` texts were accepted (201); rejects after timeoutMs. */
  waitForAccepted(count: number, timeoutMs?: number): Promise<readonly ReceivedText[]>;
  close(): Promise<void>;
}

export async function startFakeTwilio(credentials: { readonly accountSid: string; readonly authToken: string }): Promise<FakeTwilio> {
  const texts: ReceivedText[] = [];
  const answers: FakeAnswer[] = [];
  const arrivals = new Arrivals();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'Not Found', status: 404 }));
        return;
      }
      const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
      const authorized = req.headers.authorization === expected && match[1] === credentials.accountSid;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const reply = (status: number, body: object, sid?: string) => {
        texts.push({ accountSid: match[1]!, params, authorized, sid, answered: status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        arrivals.notify();
      };
      if (!authorized)
        return reply(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      const answer = answers.shift() ?? 'accept';
      if (answer === 'stall') {
        // Received, never answered (the sender dies waiting): recorded as answered 0.
        texts.push({ accountSid: match[1]!, params, authorized, sid: undefined, answered: 0 });
        arrivals.notify();
        return;
      }
      if (answer === 'unsubscribed')
        return reply(400, {
          code: 21610,
          message: 'Attempt to send to unsubscribed recipient',
          more_info: 'https://www.twilio.com/docs/errors/21610',
          status: 400,
        });
      if (answer === 'server-error')
        return reply(500, {
          code: 20500,
          message: 'Internal Server Error',
          more_info: 'https://www.twilio.com/docs/errors/20500',
          status: 500,
        });
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const now = new Date().toUTCString();
      reply(
        201,
        {
          account_sid: credentials.accountSid,
          api_version: '2010-04-01',
          body: params['Body'] ?? '',
          date_created: now,
          date_sent: null,
          date_updated: now,
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from: params['From'] ?? null,
          messaging_service_sid: params['MessagingServiceSid'] ?? null,
          num_media: '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          status: params['MessagingServiceSid'] ? 'accepted' : 'queued',
          subresource_uris: { media: `/2010-04-01/Accounts/${credentials.accountSid}/Messages/${sid}/Media.json` },
          to: params['To'] ?? '',
          uri: `/2010-04-01/Accounts/${credentials.accountSid}/Messages/${sid}.json`,
        },
        sid,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = leftover(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    texts,
    answerNext: (...next) => answers.push(...next),
    waitForPosts(count, timeoutMs = 10_000) {
      return waitFor(() => texts, count, timeoutMs);
    },
    waitForAccepted(count, timeoutMs = 10_000) {
      return waitFor(() => texts.filter((text) => text.answered === 201), count, timeoutMs);
    },
    close,
  };

  async function waitFor(accepted: () => ReceivedText[], count: number, timeoutMs: number): Promise<readonly ReceivedText[]> {
    await arrivals.until(
      () => accepted().length >= count,
      timeoutMs,
      () => `${accepted().length} of ${count} texts`,
    );
    return accepted();
  }
}
