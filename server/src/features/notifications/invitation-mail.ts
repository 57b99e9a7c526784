import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import { enqueueJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import type { InvitationCreatedHook } from '../practices/invitations.service';
import { formatInZone, type MailContent } from './mail-render';
import { messageIdDomain } from './mail-transport';
import { composeMail, type MailDeps } from './notifications.handlers';
import { prismaSql } from '../../platform/sql';

export const INVITATION_MAIL_KIND = 'mail.invitation';

/**
 * The invitation mail's job. It carries the code, the one secret a job holds: the invitation row
 * keeps only its hash. Once the mail is sent the code is erased from the job (see the handler).
 */
export const InvitationMailJob = z.object({
  invitationId: z.string(),
  email: z.string(),
  role: z.enum(['DOCTOR', 'STAFF']),
  admin: z.boolean(),
  practiceId: z.string(),
  expiresAt: z.iso.datetime(),
  code: z.string().optional(),
});
export type InvitationMailJob = z.infer<typeof InvitationMailJob>;

/** The practices feature's extension point: the mail job is written in the invitation's transaction. */
export const enqueueInvitationMail: InvitationCreatedHook = async (tx: Prisma.TransactionClient, { invitation, code }) => {
  const payload: InvitationMailJob = {
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    admin: invitation.admin,
    practiceId: invitation.practiceId,
    expiresAt: invitation.expiresAt.toISOString(),
    code,
  };
  await enqueueJobs(prismaSql(tx), [{ kind: INVITATION_MAIL_KIND, payload, dedupeKey: `mail:invitation:${invitation.id}` }]);
};

function invitationMail(job: InvitationMailJob & { code: string }, practice: { name: string; timeZone: string }): MailContent {
  const role = job.role === 'DOCTOR' ? 'a doctor' : 'front-desk staff';
  return {
    subject: `You are invited to ${practice.name} on CareLine`,
    greeting: 'Hello,',
    paragraphs: [
      `${practice.name} invites you to join CareLine as ${role}${job.admin ? ' and an admin of the practice' : ''}.`,
      'Register with this email address and the invitation code below. The code works once.',
    ],
    details: [
      ['Invitation code', job.code],
      ['Valid until', formatInZone(new Date(job.expiresAt), practice.timeZone)],
    ],
  };
}

/** Sends the code to the invited address, then erases it from the job row. */
export function invitationMailHandler(deps: MailDeps): JobHandler<InvitationMailJob> {
  const domain = messageIdDomain(deps.mailFrom);
  return {
    kind: INVITATION_MAIL_KIND,
    payload: InvitationMailJob,
    async run(job, context) {
      const code = job.code;
      if (code === undefined) return { outcome: 'skipped', reason: 'the code was erased (already sent)' };
      const practice = await deps.prisma.practice.findUnique({ where: { id: job.practiceId }, select: { name: true, timeZone: true } });
      if (!practice) throw new PermanentJobError('the practice does not exist');
      const content = invitationMail({ ...job, code }, practice);
      await deps.mailer.send(composeMail(content, job.email, `<invitation-${job.invitationId}@${domain}>`));
      const erased: InvitationMailJob = { ...job, code: undefined };
      await deps.prisma.job.update({ where: { id: BigInt(context.jobId) }, data: { payload: JSON.parse(JSON.stringify(erased)) as Prisma.InputJsonObject } });
      return DONE;
    },
  };
}
