import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AppointmentStatus } from '../../generated/prisma/enums';

export { AppointmentStatus };

/**
 * The statuses GraphQL shows: all but HELD. A hold is an appointments row in the database (so the
 * same exclusion constraints cover it) but a `Hold` in the API, never an `Appointment`: every read
 * of appointments leaves holds out, and were one to slip through, its status would fail to
 * serialize rather than reach a client that does not know it.
 */
const AppointmentStatusShown = {
  BOOKED: AppointmentStatus.BOOKED,
  CANCELLED: AppointmentStatus.CANCELLED,
  COMPLETED: AppointmentStatus.COMPLETED,
  CHECKED_IN: AppointmentStatus.CHECKED_IN,
  NO_SHOW: AppointmentStatus.NO_SHOW,
} as const satisfies Partial<Record<AppointmentStatus, AppointmentStatus>>;
registerEnumType(AppointmentStatusShown, { name: 'AppointmentStatus' });

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

  @Field(() => AppointmentStatusShown)
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

  /** Not a field: a hold's expiry, set only where a read may return one (FHIR: an Appointment `pending`). */
  holdExpiresAt?: Date | null;
}
