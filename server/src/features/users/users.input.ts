import { Field, InputType } from 'type-graphql';
import { Role } from '../../generated/prisma/enums';

@InputType({ description: 'A new account. Doctors give a specialty (and a time zone); patients may give a date of birth.' })
export class RegisterInput {
  @Field({ description: 'Any letter case; stored lower-cased. Must be unique (CONFLICT otherwise).' })
  email!: string;

  @Field({
    description:
      "At least PASSWORD_MIN_LENGTH characters (default 12), not a common password, a repetition or a sequence, without the email's name or the person's name (BAD_USER_INPUT naming the reason).",
  })
  password!: string;

  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Doctors only, required for them.' })
  specialty?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Doctors only: an IANA zone such as "Europe/Paris". Default: the practice\'s zone when invited, else "UTC".',
  })
  timeZone?: string | null;

  @Field(() => Date, { nullable: true, description: 'Patients only; in the past.' })
  dateOfBirth?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Required for DOCTOR and STAFF (FORBIDDEN without a valid, unused, unexpired code for this email and role), unless DOCTOR_SELF_REGISTRATION is on for doctors. Joins the invitation's practice. Optional for PATIENT: a practice's PATIENT invitation puts the patient on that practice's list (a bad code is the same FORBIDDEN).",
  })
  invitationCode?: string | null;
}
