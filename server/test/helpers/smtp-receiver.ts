import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Arrivals } from './arrivals';
import { leftover } from './leftovers';

/** A message the test SMTP server accepted, parsed, with the moment it was fully received. */
export interface ReceivedMail {
  readonly parsed: ParsedMail;
  readonly to: readonly string[];
  readonly receivedAtMs: number;
}

/** A real SMTP server on a loopback port (the `smtp-server` package); every message is parsed with mailparser. Closed after the test or file (leftovers.ts). */
export interface SmtpReceiver {
  /** smtp://127.0.0.1:<port> */
  readonly url: string;
  readonly messages: readonly ReceivedMail[];
  /** Connections senders have opened so far (a pooled sender reuses one for many messages). */
  readonly connections: number;
  /** Resolves with the first message (already received or to come) that matches; rejects after timeoutMs. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Resolves once the server has begun receiving a message's data (the stalling mode holds it there). */
  dataStarted(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the receiver. With `stall: true` it reads each message and never answers, as a relay
 * that hangs mid-transaction: the sender is left waiting (used to kill an instance mid-send).
 */
export async function startSmtpReceiver(options: { readonly stall?: boolean } = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const arrivals = new Arrivals();
  let dataSeen = false;
  let connections = 0;
  const notify = () => arrivals.notify();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      dataSeen = true;
      notify();
      const to = session.envelope.rcptTo.map((address) => address.address);
      if (options.stall) {
        stream.resume();
        return; // never calls back: the sender waits
      }
      simpleParser(stream).then(
        (parsed) => {
          messages.push({ parsed, to, receivedAtMs: Date.now() });
          callback();
          notify();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // A sender that dies mid-transaction (the crash test kills it) resets its connection: expected.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const until = (ready: () => boolean, timeoutMs: number, what: string) =>
    arrivals.until(ready, timeoutMs, () => `${what} (received ${messages.length} messages)`);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get connections() {
      return connections;
    },
    async waitFor(match, timeoutMs = 10_000) {
      await until(() => messages.some(match), timeoutMs, 'no matching message');
      return messages.find(match)!;
    },
    dataStarted: (timeoutMs = 10_000) => until(() => dataSeen, timeoutMs, 'no message data'),
    close: leftover(() => new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** The .ics part of a message (nodemailer's icalEvent: a text/calendar alternative and attachment). */
export function calendarOf(mail: ReceivedMail): string {
  const part = mail.parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar');
  if (!part) throw new Error(`no text/calendar part in "${mail.parsed.subject ?? ''}"`);
  return part.content.toString('utf8');
}

/** An iCalendar property's value (unfolded), e.g. icsValue(ics, 'METHOD'). */
export function icsValue(ics: string, name: string): string | undefined {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  const line = unfolded.split(/\r?\n/).find((candidate) => candidate.startsWith(`${name}:`) || candidate.startsWith(`${name};`));
  return line?.slice(line.indexOf(':') + 1);
}
