import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../../generated/prisma/enums';

@ObjectType({ description: "One read or change of a patient's data by someone, as the audit trail recorded it." })
export class AccessLogEntry {
  @Field()
  at!: Date;

  @Field({ description: 'Who: the account name at the time of asking; in a patient\'s own log, another patient is "Another patient".' })
  actorName!: string;

  @Field(() => Role)
  actorRole!: Role;

  @Field({ description: 'What, e.g. patients.list, vitals.read, records.read, appointment.book, vitals.record, event.patientAdded.' })
  action!: string;

  @Field({ description: 'SUCCESS, or DENIED when the attempt was refused.' })
  outcome!: string;

  @Field(() => Int, {
    description:
      "How many times: 1, except in a patient's own log, where one person's refused attempts (DENIED) at one action are one entry (at: the latest).",
  })
  count!: number;

  @Field({ description: 'An opaque position: pass it as `after` for the entries before this one.' })
  cursor!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The third-party app the actor used (actorName then reads "<user> via <app>"); null when they used CareLine itself.',
  })
  appName!: string | null;

  /** The actor's practice id (the `practice` field resolves it). */
  practiceId!: string | null;

  /** The actor's account (not exposed: a patient's own log tells their own apps' reads from other patients'). */
  actorUserId!: string | null;
}

@ObjectType({
  description:
    'A sign-in, password or MFA change, session revocation, membership or invitation change, or webhook endpoint change, as the audit trail recorded it.',
})
export class SecurityEvent {
  @Field(() => ID, { description: 'Pass it as `after` for the events before this one.' })
  id!: string;

  @Field()
  at!: Date;

  @Field({ description: 'What, e.g. security.signIn, security.memberRemoved, security.invitationRevoked.' })
  action!: string;

  @Field({ description: 'SUCCESS, FAILURE, LOCKED_OUT, MFA_FAILED or DENIED.' })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'Who acted (their current name); null when unknown or deleted.' })
  actorName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The third-party app the actor used (actorName then reads "<user> via <app>"); null otherwise.',
  })
  appName!: string | null;

  @Field(() => String, { nullable: true })
  clientAddress!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;
}
