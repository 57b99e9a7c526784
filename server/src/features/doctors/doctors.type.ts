import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A doctor patients can book.' })
export class Doctor {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  specialty!: string;

  @Field({ description: 'IANA time zone the doctor works in, e.g. "Europe/Paris".' })
  timeZone!: string;

  // Not a field: Doctor.practice resolves it (features/practices).
  practiceId!: string;
}
