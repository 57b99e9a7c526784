import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({
  description: "A patient books themself with a doctor, or staff of the doctor's practice book for a registered patient (patientId).",
})
export class BookAppointmentInput {
  @Field(() => ID)
  doctorId!: string;

  @Field({ description: 'In the future.' })
  startsAt!: Date;

  @Field(() => Int, { nullable: true, description: 'From 5 to 240; default 30.' })
  durationMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  reason?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Up to 200 characters. A repeat with the same key returns the first appointment; with other input it is a CONFLICT.',
  })
  idempotencyKey?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Staff of the doctor's practice book for this registered patient; the appointment is the patient's as if they had booked it. Patients leave it unset (or their own id).",
  })
  patientId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "A hold of this patient's (holdSlot) for the same doctor and time: the booking takes its place. NOT_FOUND when there is no such hold, HOLD_EXPIRED after it expired, BAD_USER_INPUT for another doctor or time. durationMinutes may be left out (the hold's length).",
  })
  holdId?: string | null;
}
