import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from '../../generated/prisma/enums';

export { Channel };

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

registerEnumType(Channel, { name: 'Channel', description: 'Where appointment messages reach a user.' });

@InputType({ description: "The signed-in user's messaging choices. SMS needs a phone and smsConsent: true." })
export class NotificationSettingsInput {
  @Field(() => String, {
    nullable: true,
    description:
      'With its country code ("+1 415 555 2671"), stored in E.164. Left out: unchanged; "": removed. Invalid: BAD_USER_INPUT (field phone).',
  })
  phone?: string | null;

  @Field(() => [Channel], { description: 'The whole list of channels wanted (EMAIL, SMS, PUSH); it replaces the previous one.' })
  channels!: Channel[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: agree to appointment texts on this phone (time and source recorded); false: withdraw; left out: unchanged.',
  })
  smsConsent?: boolean | null;
}
