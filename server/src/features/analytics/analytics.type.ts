import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Doctor } from '../doctors/doctors.type';

@ObjectType({ description: "One day of the practice's time zone (DST-correct): appointments starting on it." })
export class DayStats {
  @Field({ description: 'The local date "YYYY-MM-DD" in the practice\'s time zone.' })
  date!: string;

  @Field(() => Int)
  appointments!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Int)
  noShows!: number;
}

@ObjectType({ description: 'Booked appointments whose lead time (createdAt -> startsAt) is in [fromDays, toDays).' })
export class LeadTimeBucket {
  @Field(() => Int, { description: 'The first day of the bucket: 0 is booked less than 24 h ahead (or after the start).' })
  fromDays!: number;

  @Field(() => Int, { nullable: true, description: 'The day the bucket ends before; null for the last bucket (no end).' })
  toDays!: number | null;

  @Field(() => Int)
  booked!: number;
}

@ObjectType({ description: "One doctor's share of the period." })
export class DoctorStats {
  @Field(() => Doctor)
  doctor!: Doctor;

  @Field(() => Int, { description: 'Every status, starting in the range.' })
  appointments!: number;

  @Field(() => Float, { nullable: true, description: 'noShows / not-cancelled appointments whose start has passed; null when none.' })
  noShowRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Booked scheduled minutes / the doctor's working-hour minutes in the range; null without working hours.",
  })
  utilization!: number | null;
}

@ObjectType({
  description:
    "A practice's figures over appointments whose start is in [from, to): aggregates only, never a patient's name or any clinical data. Definitions and denominators: docs/analytics.md.",
})
export class PracticeAnalytics {
  @Field(() => Int, { description: 'Every status.' })
  appointments!: number;

  @Field(() => Int, { description: 'Not cancelled: BOOKED, CHECKED_IN, COMPLETED or NO_SHOW.' })
  booked!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Int)
  noShows!: number;

  @Field(() => Int, { description: 'Cancelled less than 24 h before their start.' })
  lateCancelled!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'noShows / (not-cancelled appointments whose start has passed); null when none.',
  })
  noShowRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'lateCancelled / appointments; null when none.' })
  lateCancellationRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Pooled: booked appointments' scheduled minutes / working-hour minutes (days off excluded) of the doctors in scope that have working hours; null when none has any.",
  })
  utilization!: number | null;

  @Field(() => Float, { nullable: true, description: 'Booked appointments: median of createdAt -> startsAt, in days.' })
  medianLeadTimeDays!: number | null;

  @Field(() => [LeadTimeBucket], {
    description:
      'Booked appointments by lead time in days: [0, 1), [1, 2), [2, 4), [4, 8), [8, 15), [15, 31), [31, ∞); every bucket, in order.',
  })
  leadTimes!: LeadTimeBucket[];

  @Field(() => Float, {
    nullable: true,
    description:
      "From now to the start of the third free 30-minute slot, in days (searched 31 days ahead; null when none); for doctorId, or the mean over the practice's doctors that have one. Null in `previous`.",
  })
  thirdNextAvailableDays!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Of booked appointments: the patient's first booking with the practice (by booking time).",
  })
  newPatientShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Of booked appointments: booked by the patient rather than by staff.' })
  selfBookedShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Of booked appointments: confirmed by the patient before the start. Null until confirmations exist (docs/analytics.md).',
  })
  confirmedShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Completed appointments with a check-in: median of check-in -> completion, in minutes.',
  })
  medianCycleMinutes!: number | null;

  @Field(() => [DayStats], { description: "One per day of the practice's time zone in [from, to), DST-correct." })
  byDay!: DayStats[];

  @Field(() => [DoctorStats])
  byDoctor!: DoctorStats[];

  @Field(() => PracticeAnalytics, {
    nullable: true,
    description: 'The same figures for [from - (to - from), from); its own previous is null.',
  })
  previous!: PracticeAnalytics | null;
}

@ObjectType({ description: "Today's appointments in the practice's time zone, by their current status: the desk's live board." })
export class TodayBoard {
  @Field({ description: 'Today, "YYYY-MM-DD" in the practice\'s time zone.' })
  date!: string;

  @Field(() => Int)
  booked!: number;

  @Field(() => Int)
  checkedIn!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  noShows!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Int, { description: "Free 30-minute slots left today (from now) over the practice's doctors." })
  openSlots!: number;
}
