import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AppointmentStatus } from '../../generated/prisma/enums';

export { AppointmentStatus };
registerEnumType(AppointmentStatus, { name: 'AppointmentStatus' });

@ObjectType({ description: 'A booked time between one doctor and one patient.' })
export class Appointment {
  @Field(() => ID)
  id!: string;

  // Not fields: Appointment.doctor and Appointment.patient resolve these through per-request loaders.
  doctorId!: string;
  patientId!: string;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field(() => AppointmentStatus)
  status!: AppointmentStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled, when the canceller said.' })
  cancellationReason!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the patient was checked in (their arrival); null when not checked in, or when the check-in was undone.',
  })
  checkedInAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the patient said they will come (confirmAppointment, or a "C"/"YES" text reply); null when not confirmed, and again after a reschedule.',
  })
  confirmedAt!: Date | null;
}
