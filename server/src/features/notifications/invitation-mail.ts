import { z } from 'zod';
import { enqueueJobs } from '../../jobs/job-queue';
import { DONE, PermanentJobError, type JobHandler } from '../../jobs/job-types';
import type { Tx } from '../../live/transactions';
import { isUuid } from '../../platform/validation';
import type { InvitationRecord } from '../practices/invitations.service';
import { readPracticeName } from '../practices/practices.sql';
import { formatInZone, type MailContent } from './mail-render';
import { messageIdDomain } from '../../outbound/mail-transport';
import { composeMail, type MailDeps } from './notifications.handlers';

export const INVITATION_MAIL_KIND = 'mail.invitation';

/**
 * The invitation mail's job. It carries the code, the one secret a job holds: the invitation row
 * keeps only its hash. Once the mail is sent the code is erased from the job (see the handler).
 */
export const InvitationMailJob = z.object({
  invitationId: z.string(),
  email: z.string(),
  role: z.enum(['DOCTOR', 'STAFF', 'PATIENT']),
  admin: z.boolean(),
  practiceId: z.string(),
  expiresAt: z.iso.datetime(),
  code: z.string().optional(),
});
export type InvitationMailJob = z.infer<typeof InvitationMailJob>;

/**
 * For the practices feature's extension point (an InvitationCreatedHook): the mail job is written
 * in the invitation's transaction.
 */
export async function enqueueInvitationMail(
  tx: Tx,
  { invitation, code }: { readonly invitation: InvitationRecord; readonly code: string },
): Promise<void> {
  const payload: InvitationMailJob = {
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    admin: invitation.admin,
    practiceId: invitation.practiceId,
    expiresAt: invitation.expiresAt.toISOString(),
    code,
  };
  await enqueueJobs(tx, [{ kind: INVITATION_MAIL_KIND, payload, dedupeKey: `mail:invitation:${invitation.id}` }]);
}

function invitationMail(job: InvitationMailJob & { code: string }, practice: { name: string; timeZone: string }): MailContent {
  const role = job.role === 'DOCTOR' ? 'a doctor' : job.role === 'STAFF' ? 'front-desk staff' : 'a patient';
  return {
    subject: `You are invited to ${practice.name} on CareLine`,
    greeting: 'Hello,',
    paragraphs: [
      `${practice.name} invites you to join CareLine as ${role}${job.admin ? ' and an admin of the practice' : ''}.`,
      job.role === 'PATIENT'
        ? 'Register with this email address and the invitation code below, or, if you already have a CareLine account with this address, enter the code under "Join a practice". The code works once.'
        : 'Register with this email address and the invitation code below. The code works once.',
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
      const practice = isUuid(job.practiceId) ? await readPracticeName(deps.sql, job.practiceId) : null;
      if (!practice) throw new PermanentJobError('the practice does not exist');
      const content = invitationMail({ ...job, code }, practice);
      await deps.mailer.send(composeMail(content, job.email, `<invitation-${job.invitationId}@${domain}>`));
      const erased: InvitationMailJob = { ...job, code: undefined };
      await context.replacePayload(erased);
      return DONE;
    },
  };
}
