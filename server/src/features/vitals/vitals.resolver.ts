import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { AppContext } from '../../context';
import { toVitalsRecordedEvent, VitalsRecordedEvent, type VitalsRecordedPayload } from './vitals.events';
import { RecordVitalsInput } from './vitals.input';
import { DEFAULT_HISTORY_SIZE } from './vitals.rules';
import { Vitals } from './vitals.type';

const AFTER_DESCRIPTION = 'A cursor from an earlier event: resume right after it.';

@Resolver(() => Vitals)
export class VitalsResolver {
  @Mutation(() => Vitals, { description: 'A doctor records vitals of a patient on their list. Each value is range-checked (BAD_USER_INPUT names the field).' })
  recordVitals(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => RecordVitalsInput) input: RecordVitalsInput,
    @Ctx() ctx: AppContext,
  ): Promise<Vitals> {
    return ctx.services.vitals.recordVitals(ctx.viewer, patientId, input);
  }

  @Query(() => [Vitals], { description: "A patient's vitals, newest first. The patient themself, or a doctor who has them on their list." })
  patientVitals(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_SIZE, description: 'How many, 1 to 100.' }) first: number | null,
    @Arg('before', () => Date, { nullable: true, description: 'Only vitals recorded before this time (the last recordedAt of the previous page).' })
    before: Date | null,
    @Ctx() ctx: AppContext,
  ): Promise<Vitals[]> {
    return ctx.services.vitals.patientVitals(ctx.viewer, patientId, first ?? DEFAULT_HISTORY_SIZE, before);
  }

  @Subscription(() => VitalsRecordedEvent, {
    description: "Vitals recorded for any patient on the doctor's list, after commit, in commit order. Only that doctor. With `after`, first every such event since that cursor.",
    subscribe: ({ args, context }) => {
      const { doctorId, after } = args as { doctorId: string; after?: string | null };
      const ctx = context as AppContext;
      return ctx.services.vitals.subscribeVitalsRecorded(ctx.viewer, doctorId, after, ctx.connection);
    },
  })
  vitalsRecorded(
    @Root() payload: VitalsRecordedPayload,
    @Arg('doctorId', () => ID) _doctorId: string,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ): VitalsRecordedEvent {
    return toVitalsRecordedEvent(payload);
  }

  @Subscription(() => VitalsRecordedEvent, {
    description: "The signed-in patient's own new vitals, after commit. PATIENT only. With `after`, first every such event since that cursor.",
    subscribe: ({ args, context }) => {
      const { after } = args as { after?: string | null };
      const ctx = context as AppContext;
      return ctx.services.vitals.subscribeMyVitalsRecorded(ctx.viewer, after, ctx.connection);
    },
  })
  myVitalsRecorded(
    @Root() payload: VitalsRecordedPayload,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after: string | null,
  ): VitalsRecordedEvent {
    return toVitalsRecordedEvent(payload);
  }
}
