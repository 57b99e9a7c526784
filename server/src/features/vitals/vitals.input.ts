import { Field, Float, InputType, Int } from 'type-graphql';

@InputType({ description: 'One set of measurements taken now. Each optional, at least one; blood pressure as a pair.' })
export class RecordVitalsInput {
  @Field(() => Int, { nullable: true, description: 'Beats per minute, 20 to 250.' })
  heartRate?: number | null;

  @Field(() => Int, { nullable: true, description: 'Systolic blood pressure, mmHg, 50 to 260; with diastolic, above it.' })
  systolic?: number | null;

  @Field(() => Int, { nullable: true, description: 'Diastolic blood pressure, mmHg, 20 to 160; with systolic.' })
  diastolic?: number | null;

  @Field(() => Float, { nullable: true, description: 'Body temperature, degrees Celsius, 30 to 45.' })
  temperatureC?: number | null;

  @Field(() => Int, { nullable: true, description: 'Oxygen saturation, percent, 50 to 100.' })
  spo2Percent?: number | null;

  @Field(() => Int, { nullable: true, description: 'Breaths per minute, 4 to 60.' })
  respiratoryRate?: number | null;

  @Field(() => Float, { nullable: true, description: 'Body weight, kilograms, 0.3 to 500.' })
  weightKg?: number | null;
}
