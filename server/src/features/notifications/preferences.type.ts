import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: "A patient's mail choices. Everything is on until the patient turns it off." })
export class NotificationPreferences {
  @Field({ description: 'Mail (with a calendar entry) when an appointment is booked, cancelled or moved.' })
  confirmations!: boolean;

  @Field({ description: 'A reminder before each appointment (REMINDER_HOURS_BEFORE, default 24 hours).' })
  reminders!: boolean;
}

@InputType({ description: 'What to change; a field left out keeps its value.' })
export class NotificationPreferencesInput {
  @Field(() => Boolean, { nullable: true })
  confirmations?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  reminders?: boolean | null;
}
