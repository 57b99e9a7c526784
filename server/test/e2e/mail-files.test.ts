// Without SMTP_URL, each message is an .eml file under DATA_DIR/mail; in development the
// dashboard lists the latest ones at GET /dev/mail (never outside development).
import { simpleParser } from 'mailparser';
import { emlFileName } from '../../src/outbound/mail-transport';
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';

// Each case starts an embedded server (PGlite: every migration, and the demo seed): 20-60 s on a
// loaded 2-core machine, more than the default bound.
jest.setTimeout(180_000);

describe('mail written as .eml files', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.dispose();
  });

  it('writes the confirmation as a parseable .eml and lists it at /dev/mail in development', async () => {
    const server = await startTestServer('embedded', { NODE_ENV: 'development', LOG_LEVEL: 'warn' });
    servers.push(server);
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() })).errors).toBeUndefined();
    await server.background.worker.drain();

    const list = (await (await fetch(`${server.url}/dev/mail`)).json()) as {
      enabled: boolean;
      messages: Array<{ name: string; url: string }>;
    };
    expect(list.enabled).toBe(true);
    expect(list.messages).toHaveLength(1);
    const response = await fetch(`${server.url}${list.messages[0]!.url}`);
    expect(response.headers.get('content-type')).toContain('message/rfc822');
    const mail = await simpleParser(Buffer.from(await response.arrayBuffer()));
    expect(mail.subject).toMatch(/is booked/);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toContain(patient.email);
    expect(mail.attachments.some((part) => part.contentType === 'text/calendar')).toBe(true);
    expect((await fetch(`${server.url}/dev/mail/..%2F..%2Fpasswd.eml`)).status).toBe(404);
  });

  it('lists no mail outside development, and serves no .eml', async () => {
    const server = await startTestServer('embedded');
    servers.push(server);
    const doctor = await registerDoctor(server);
    const patient = await registerPatient(server);
    expect((await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot().toISOString() })).errors).toBeUndefined();
    await server.background.worker.drain();
    expect(await (await fetch(`${server.url}/dev/mail`)).json()).toEqual({ enabled: false });
    const job = await server.database.prisma.job.findFirstOrThrow({ where: { kind: 'mail.appointment' } });
    expect(job.status).toBe('done'); // written to a file all the same
    const file = await fetch(`${server.url}/dev/mail/${emlFileName('<appointment-booked-1@careline.invalid>', new Date())}`);
    expect(file.headers.get('content-type') ?? '').not.toContain('message/rfc822');
  });
});
