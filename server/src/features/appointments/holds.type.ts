import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A time held for a while (HOLD_TTL, default 5 minutes) so nobody else can book or hold it; bookAppointment with its id (input.holdId) books it. It frees itself when it expires.',
})
export class Hold {
  @Field(() => ID, { description: 'Also the FHIR Appointment id of the hold (status pending) and of the booking it becomes.' })
  id!: string;

  // Not fields: Hold.doctor resolves it through the per-request loader; the patient is the caller or theirs.
  doctorId!: string;
  patientId!: string;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field({ description: 'After this instant the time is free again and booking with the hold is HOLD_EXPIRED.' })
  expiresAt!: Date;
}

@InputType({
  description: 'The same rules as bookAppointment: a patient holds for themself, staff of the practice for its patient (patientId).',
})
export class HoldSlotInput {
  @Field(() => ID)
  doctorId!: string;

  @Field({ description: 'In the future.' })
  startsAt!: Date;

  @Field(() => Int, { nullable: true, description: 'From 5 to 240; default 30.' })
  durationMinutes?: number | null;

  @Field(() => ID, {
    nullable: true,
    description: "Staff of the doctor's practice hold for this patient of the practice. Patients leave it unset (or their own id).",
  })
  patientId?: string | null;
}
