import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "One working interval of a weekday, in the doctor's time zone." })
export class WorkingHours {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday ... 7 = Sunday.' })
  weekday!: number;

  @Field({ description: 'Local wall-clock time "HH:MM".' })
  startTime!: string;

  @Field({ description: 'Local wall-clock time "HH:MM" ("24:00" = midnight at the end of the day).' })
  endTime!: string;
}

@ObjectType({ description: 'When a doctor can be booked. No hours: any future time (except days off).' })
export class DoctorAvailability {
  @Field({ description: 'IANA time zone the hours and days off are in.' })
  timeZone!: string;

  @Field(() => [WorkingHours], { description: 'By weekday, then start time. Empty: the doctor accepts any future time.' })
  weeklyHours!: WorkingHours[];

  @Field(() => [String], { description: 'Local dates "YYYY-MM-DD" from today on when the doctor does not work.' })
  daysOff!: string[];
}
