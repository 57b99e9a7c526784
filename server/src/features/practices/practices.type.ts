import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../../generated/prisma/enums';

@ObjectType({ description: 'A clinic: its doctors and front-desk staff, and the admins among them who invite members.' })
export class Practice {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'IANA time zone of the practice: it decides the day on which a visit can be checked in.' })
  timeZone!: string;

  @Field({
    description:
      'Whether its doctors without working hours are offered for booking (at any time). False by default: such a doctor has no free slots and no booking form offers them.',
  })
  bookableWithoutHours!: boolean;
}

@ObjectType({ description: "A practice's front-desk account." })
export class StaffMember {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'May invite members of the practice.' })
  admin!: boolean;

  // Not a field: StaffMember.practice resolves it through a loader.
  practiceId!: string;
}

@ObjectType({ description: 'A doctor or a staff member of a practice, as its members see them.' })
export class PracticeMember {
  @Field(() => ID, { description: 'The user id (the doctor or staff member id).' })
  id!: string;

  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => Role, { description: 'DOCTOR or STAFF.' })
  role!: Role;

  @Field()
  admin!: boolean;
}

@ObjectType({ description: 'An invitation to join a practice as a doctor or staff member, bound to one email, single use.' })
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => Role)
  role!: Role;

  @Field()
  admin!: boolean;

  @Field()
  expiresAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The secret code: returned once, by createInvitation, to the admin who created it; null everywhere else.',
  })
  code!: string | null;

  // Not a field: Invitation.practice resolves it through a loader.
  practiceId!: string;
}
