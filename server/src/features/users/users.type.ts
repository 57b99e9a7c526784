import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../generated/prisma/enums';
import { Doctor } from '../doctors/doctors.type';
import { Patient } from '../patients/patients.type';
import { StaffMember } from '../practices/practices.type';

export { Role };
registerEnumType(Role, {
  name: 'Role',
  description: "What an account is for: a doctor sees patients, a patient books, staff run a practice's front desk.",
});

@ObjectType({ description: 'A signed-in account, with the profile of its role.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Lower-cased and trimmed as registered.' })
  email!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Doctor, { nullable: true, description: 'Set when role is DOCTOR.' })
  doctor!: Doctor | null;

  @Field(() => Patient, { nullable: true, description: 'Set when role is PATIENT.' })
  patient!: Patient | null;

  @Field(() => StaffMember, { nullable: true, description: 'Set when role is STAFF.' })
  staff!: StaffMember | null;
}

@ObjectType({ description: 'A bearer token and the account it signs in.' })
export class AuthPayload {
  @Field({
    description:
      'Send as `Authorization: Bearer <token>`; expires after JWT_EXPIRES_IN (default 15 min): renew it with refreshToken while the session lives.',
  })
  token!: string;

  @Field(() => User)
  user!: User;
}
