import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../platform/config';

/** One message as CareLine sends it: both parts come from one template (mail-render.ts). */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Derived from the event or job, so a message sent again is recognisable as the same one. */
  readonly messageId: string;
  /** An iCalendar invitation or cancellation, sent as a text/calendar part and an .ics attachment. */
  readonly calendar?: { readonly method: 'REQUEST' | 'CANCEL'; readonly content: string };
}

/** Sends mail; throws when the relay refuses or cannot be reached (the job is retried). */
export interface Mailer {
  readonly kind: 'smtp' | 'files';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** The domain of Message-IDs: the sender's, so they are unique to this deployment. */
export function messageIdDomain(mailFrom: string): string {
  const match = /@([^@\s>]+)>?\s*$/.exec(mailFrom);
  return match?.[1] ?? 'careline.invalid';
}

/**
 * SMTP_URL set: nodemailer's pooled SMTP transport (at most 5 connections, kept open between
 * messages). Unset: nodemailer builds the same RFC 822 text (its
 * stream transport) and it is written to DATA_DIR/mail/ as an .eml file, which any mail client opens.
 */
export function createMailer(config: Pick<Config['mail'], 'smtpUrl' | 'from' | 'dir'>): Mailer {
  const options = (message: MailMessage) => ({
    from: config.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    ...(message.calendar
      ? { icalEvent: { method: message.calendar.method, filename: 'appointment.ics', content: message.calendar.content } }
      : {}),
  });
  if (config.smtpUrl) {
    // Pooled: the connections (and their TLS handshake and login) outlive a message. A connection
    // per message was a third of a booking's server CPU (bench/README.md, "What a mail costs").
    // `?pool=false` in the URL turns it off.
    const transport = nodemailer.createTransport({ url: config.smtpUrl, pool: true });
    return {
      kind: 'smtp',
      send: async (message) => {
        await transport.sendMail(options(message));
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'files',
    send: async (message) => {
      const info = await transport.sendMail(options(message));
      if (!Buffer.isBuffer(info.message)) throw new Error('the stream transport did not return the message');
      const file = path.join(config.dir, emlFileName(message.messageId, new Date()));
      // The folder is made when a write finds it missing, not before every mail (a syscall per mail).
      await writeFile(file, info.message).catch(async (error: unknown) => {
        // Not `instanceof Error`: fs errors come from another realm under the test runner.
        if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT')) throw error;
        await mkdir(config.dir, { recursive: true });
        await writeFile(file, info.message);
      });
    },
    close: () => transport.close(),
  };
}

/** "20270301T090000123Z-booked-42.eml": sorted by time, named after the Message-ID. */
export function emlFileName(messageId: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  const slug = messageId
    .replace(/^<|@.*$/g, '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .slice(0, 80);
  return `${stamp}-${slug}.eml`;
}
