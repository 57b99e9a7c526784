// npm run bench:statements [-- --bookings=50]: what one booking costs CareLine on PostgreSQL: its
// statements, counted inside the server process by name (support/count-statements.cjs wraps `pg`),
// and the server's CPU time. One instance on PostgreSQL + Redis; patients book one after another
// (each a slot of its own, no dashboard open), then the count waits until the job worker has sent
// every mail. The periodic work (outbox sweep, job poll) is slowed to every 10 minutes, so what is
// counted is what the bookings caused: their requests, the publishing after commit, and the
// worker's mail (nudged by each commit). BENCH_SERVER_DIR measures another checkout's server/.
// --smtp=pooled sends the mail to an SMTP server started here (`smtp-server`, in this process) as
// a deployment with SMTP_URL does; --smtp=unpooled adds `?pool=false` (a connection per message).
// Without it, mail is written as .eml files (SMTP_URL unset).
import { readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { slotBase } from './slots';
import { createBenchDatabase } from './support/database';
import { bookAppointment, postGraphQL, registerAccount } from './support/graphql';
import { REDIS_URL, startCareLine } from './targets';

const PRELOAD = path.join(__dirname, 'support', 'count-statements.cjs');

function bookingsOption(): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--bookings='));
  const value = arg ? Number(arg.slice('--bookings='.length)) : 50;
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error('--bookings must be a whole number from 1 to 10000');
  return value;
}

type MailMode = 'files' | 'pooled' | 'unpooled';

function mailOption(): MailMode {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--smtp='));
  if (!arg) return 'files';
  const value = arg.slice('--smtp='.length);
  if (value !== 'pooled' && value !== 'unpooled') throw new Error('--smtp must be pooled or unpooled');
  return value;
}

/** An SMTP server on loopback that accepts every message and keeps nothing. */
async function startSmtpSink(): Promise<{ url: string; messages(): number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Counts = Record<string, number>;

async function main(): Promise<void> {
  const bookings = bookingsOption();
  const file = path.join(tmpdir(), `careline-statements-${process.pid}.json`);
  const mail = mailOption();
  const smtp = mail === 'files' ? undefined : await startSmtpSink();
  const database = await createBenchDatabase();
  const instance = await startCareLine(
    'services-1',
    {
      ...(smtp
        ? { SMTP_URL: mail === 'unpooled' ? `${smtp.url}?pool=false` : smtp.url, MAIL_FROM: 'CareLine Bench <no-reply@bench.careline>' }
        : {}),
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: database.redisPrefix,
      BENCH_STATEMENTS_FILE: file,
      OUTBOX_SWEEP_INTERVAL: '10m',
      JOB_POLL_INTERVAL: '10m',
    },
    { nodeFlags: ['-r', PRELOAD] },
  );
  /** The server's counts now (it writes them on SIGUSR2). */
  const counts = async (): Promise<Counts> => {
    const before = await stat(file).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    instance.signal('SIGUSR2');
    for (let tries = 0; tries < 100; tries++) {
      const after = await stat(file).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      if (after !== before) return JSON.parse(await readFile(file, 'utf8')) as Counts;
      await sleep(20);
    }
    throw new Error('the server did not write its statement counts');
  };
  /** Counts once they have stopped moving for a second: the worker has sent everything. */
  const settled = async (): Promise<Counts> => {
    let last = await counts();
    for (;;) {
      await sleep(1000);
      const next = await counts();
      if (JSON.stringify(next) === JSON.stringify(last)) return next;
      last = next;
    }
  };
  try {
    const doctor = await registerAccount(instance.url, 'DOCTOR', `stmt-doctor-${process.pid}@bench.careline`, 'Dr. Statements');
    const patients = [];
    for (let i = 0; i < bookings; i++)
      patients.push(await registerAccount(instance.url, 'PATIENT', `stmt-p${i}-${process.pid}@bench.careline`, `Patient ${i}`));
    // Each patient's session read once before (as their dashboard would have): the count is the
    // booking's, not a first request's session lookup.
    for (const patient of patients) await postGraphQL(instance.url, '{ me { id } }', {}, patient.token);
    const base = slotBase();
    // As many unmeasured bookings first (other slots): the JIT has compiled the path, and each
    // statement is prepared on the connections.
    for (let i = 0; i < bookings; i++) {
      await bookAppointment(instance.url, patients[i]!.token, {
        doctorId: doctor.id,
        startsAt: new Date(base + (bookings + i + 1) * 1_800_000),
        reason: `bench:statements:warm-up:${i}`,
      });
    }
    const before = await settled();
    const cpuBefore = instance.cpuMs();
    for (let i = 0; i < bookings; i++) {
      await bookAppointment(instance.url, patients[i]!.token, {
        doctorId: doctor.id,
        startsAt: new Date(base + (i + 1) * 1_800_000),
        reason: `bench:statements:${i}`,
      });
    }
    const after = await settled();
    // Less the settling (two count dumps a second while nothing else runs): a small overestimate.
    const cpuPerBooking = (instance.cpuMs() - cpuBefore) / bookings;
    const perBooking = Object.entries(after)
      .map(([name, count]) => [name, (count - (before[name] ?? 0)) / bookings] as const)
      .filter(([, per]) => per > 0)
      .sort((a, b) => b[1] - a[1]);
    const total = perBooking.reduce((sum, [, per]) => sum + per, 0);
    console.log(`statements per booking, ${bookings} bookings one after another (services-1):\n`);
    console.log('| statement | per booking |\n| --- | --- |');
    for (const [name, per] of perBooking) console.log(`| \`${name}\` | ${per.toFixed(2)} |`);
    console.log(`| **total** | **${total.toFixed(2)}** |`);
    const sent = smtp ? `, mail by SMTP (${mail}; ${smtp.messages()} messages received)` : ', mail as .eml files';
    console.log(`\nserver CPU per booking (request, publish and mail, bookings one after another${sent}): ${cpuPerBooking.toFixed(2)} ms`);
  } finally {
    await instance.stop();
    await smtp?.close();
    await database.drop();
    await rm(file, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
