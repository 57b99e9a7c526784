import { ArgsType, Field, ID } from 'type-graphql';

const AFTER_DESCRIPTION = 'A cursor from an earlier event: resume right after it.';

/** Arguments of a subscription to the signed-in viewer's own stream. */
@ArgsType()
export class OwnStreamArgs {
  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

/** Arguments of a subscription to one doctor's stream (declared in this order in the schema). */
@ArgsType()
export class DoctorStreamArgs {
  @Field(() => ID)
  doctorId!: string;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

/** Arguments of a subscription to one practice's stream (the front desk). */
@ArgsType()
export class PracticeStreamArgs {
  @Field(() => ID)
  practiceId!: string;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}
