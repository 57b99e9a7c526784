// The invitation code reaches the invited address by mail (a real SMTP server), written in the
// invitation's own transaction; once sent, the job no longer holds the code.
import { randomUUID } from 'node:crypto';
import { createOwnDatabase } from '../helpers/own-database';
import { createPractice, invite } from '../helpers/practices';
import { startSmtpReceiver } from '../helpers/smtp-receiver';
import { startTestServer } from '../helpers/test-server';

describe('the invitation mail', () => {
  it('sends the code to the invited email, then erases it from the job', async () => {
    const smtp = await startSmtpReceiver();
    const database = await createOwnDatabase('careline_test_invitation_mail');
    const server = await startTestServer('services', { DATABASE_URL: database.url, SMTP_URL: smtp.url });
    const practice = await createPractice(server, 'Europe/Paris');
    const email = `new-doctor-${randomUUID().slice(0, 8)}@test.careline`;
    const code = await invite(server, practice, 'DOCTOR', email);

    const mail = await smtp.waitFor((candidate) => candidate.to.includes(email));
    expect(mail.parsed.subject).toMatch(/invited to Practice/);
    expect(mail.parsed.text).toContain(code);
    expect(mail.parsed.html || '').toContain(code);
    expect(mail.parsed.text).toContain('Europe/Paris');
    await server.background.worker.drain();
    const [job] = await server.database.prisma.job.findMany({ where: { kind: 'mail.invitation' } });
    expect(job?.status).toBe('done');
    expect(JSON.stringify(job?.payload)).not.toContain(code);
  });
});
