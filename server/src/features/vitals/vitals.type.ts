import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One set of measurements taken at one time. Any measurement may be missing.' })
export class Vitals {
  @Field(() => ID)
  id!: string;

  @Field()
  recordedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Beats per minute.' })
  heartRate!: number | null;

  @Field(() => Int, { nullable: true, description: 'Systolic blood pressure, mmHg.' })
  systolic!: number | null;

  @Field(() => Int, { nullable: true, description: 'Diastolic blood pressure, mmHg.' })
  diastolic!: number | null;

  @Field(() => Float, { nullable: true, description: 'Body temperature, degrees Celsius.' })
  temperatureC!: number | null;

  @Field(() => Int, { nullable: true, description: 'Oxygen saturation, percent.' })
  spo2Percent!: number | null;

  @Field(() => Int, { nullable: true, description: 'Breaths per minute.' })
  respiratoryRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Body weight, kilograms.' })
  weightKg!: number | null;
}
