import { Field, ID, InputType } from 'type-graphql';
import { Role } from '../../generated/prisma/enums';

@InputType({ description: 'Who to invite into a practice. An admin of that practice only.' })
export class InvitationInput {
  @Field(() => ID)
  practiceId!: string;

  @Field(() => Role, {
    description: "DOCTOR, STAFF or PATIENT (a patient joins the practice's patient list; never an admin: BAD_USER_INPUT).",
  })
  role!: Role;

  @Field({ description: 'The invitation is valid for this email only (any letter case).' })
  email!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'The new member is an admin of the practice.' })
  admin?: boolean | null;
}
