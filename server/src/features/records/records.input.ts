import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new record, or a correction of one (supersedesId).' })
export class AddMedicalRecordInput {
  @Field({ description: 'Up to 500 characters.' })
  diagnosis!: string;

  @Field(() => String, { nullable: true, description: 'Up to 10,000 characters.' })
  notes?: string | null;

  @Field(() => String, { nullable: true, description: 'ICD-10 code such as "I10" or "E11.9" (case-insensitive, stored upper case).' })
  icd10Code?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The current version of one of your own records of this patient that this one corrects; it stays readable. CONFLICT when it was already corrected.',
  })
  supersedesId?: string | null;
}
