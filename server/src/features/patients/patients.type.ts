import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A patient. Their appointments and vitals are resolved for the viewer (see the fields).' })
export class Patient {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Date, { nullable: true })
  dateOfBirth!: Date | null;
}

@ObjectType()
export class PatientEdge {
  @Field({ description: 'Pass as `after` to get the patients after this one.' })
  cursor!: string;

  @Field(() => Patient)
  node!: Patient;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: "A page of a doctor's patients, newest booking first." })
export class PatientConnection {
  @Field(() => [PatientEdge])
  edges!: PatientEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All patients on the list, not just this page.' })
  totalCount!: number;
}
