import { z } from 'zod';
import { defineTopic } from '../../live/topics';

/**
 * Written to the practice's stream when an admin creates an invitation, in the same transaction.
 * It never carries the code (the outbox and pub/sub are not the place for a secret): a mailer
 * that sends the code hooks into InvitationService (onInvitationCreated), inside that transaction.
 */
export const InvitationCreatedPayload = z.object({
  seq: z.number().int().positive(),
  invitationId: z.string(),
  practiceId: z.string(),
  email: z.string(),
  role: z.enum(['DOCTOR', 'STAFF', 'PATIENT']),
  admin: z.boolean(),
  expiresAt: z.iso.datetime(),
  createdById: z.string().nullable(),
});
export type InvitationCreatedPayload = z.infer<typeof InvitationCreatedPayload>;

declare module '../../live/topics' {
  interface TopicPayloads {
    INVITATION_CREATED: InvitationCreatedPayload;
  }
}

export const PracticeTopic = {
  /** On the practice's stream: an invitation was created (no code in it). */
  InvitationCreated: defineTopic('INVITATION_CREATED', InvitationCreatedPayload),
} as const;
