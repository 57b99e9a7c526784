import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'A diagnosis written by a doctor. Append-only: a correction is a new record that supersedes this one, which stays readable.',
})
export class MedicalRecord {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  patientId!: string;

  // Not a field: MedicalRecord.doctor resolves it through the per-request loader.
  doctorId!: string;

  @Field()
  diagnosis!: string;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'ICD-10 code, upper case, e.g. "E11.9".' })
  icd10Code!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The earlier version this record corrects.' })
  supersedesId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The later version that corrects this record; null while this is the current version.' })
  supersededById!: string | null;
}
