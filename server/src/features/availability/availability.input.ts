import { Field, InputType, Int } from 'type-graphql';

@InputType({
  description: "One working interval of a weekday, in the doctor's time zone. Several per day are allowed if they do not overlap.",
})
export class WorkingHoursInput {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday ... 7 = Sunday.' })
  weekday!: number;

  @Field({ description: 'Local wall-clock time "HH:MM", 00:00 to 23:59.' })
  startTime!: string;

  @Field({ description: 'Local wall-clock time "HH:MM", after startTime, up to "24:00".' })
  endTime!: string;
}
