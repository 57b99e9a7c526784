import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { liveSubscription } from '../../graphql/live-subscription';
import type { RequestContext } from '../../graphql/request-context';
import { DoctorStreamArgs, OwnStreamArgs } from '../../graphql/stream-args';
import { toVitalsRecordedEvent, VitalsRecordedEvent, type VitalsRecordedPayload } from './vitals.events';
import { RecordVitalsInput } from './vitals.input';
import { myVitalsRecordedStream, vitalsRecordedStream } from './vitals.policy';
import { DEFAULT_HISTORY_SIZE } from './vitals.rules';
import { Vitals } from './vitals.type';

@Resolver(() => Vitals)
export class VitalsResolver {
  @Mutation(() => Vitals, {
    description: 'A doctor records vitals of a patient on their list. Each value is range-checked (BAD_USER_INPUT names the field).',
  })
  recordVitals(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => RecordVitalsInput) input: RecordVitalsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Vitals> {
    return ctx.services.vitals.recordVitals(ctx.viewer, patientId, input);
  }

  @Query(() => [Vitals], { description: "A patient's vitals, newest first. The patient themself, or a doctor who has them on their list." })
  patientVitals(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_SIZE, description: 'How many, 1 to 100.' })
    first: number | null,
    @Arg('before', () => Date, {
      nullable: true,
      description: 'Only vitals recorded before this time (the last recordedAt of the previous page).',
    })
    before: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Vitals[]> {
    return ctx.services.vitals.patientVitals(ctx.viewer, patientId, first ?? DEFAULT_HISTORY_SIZE, before);
  }

  @Subscription(() => VitalsRecordedEvent, {
    description:
      "Vitals recorded for any patient on the doctor's list, after commit, in commit order. Only that doctor. With `after`, first every such event since that cursor.",
    subscribe: liveSubscription(vitalsRecordedStream),
  })
  vitalsRecorded(@Root() payload: VitalsRecordedPayload, @Args(() => DoctorStreamArgs) _args: DoctorStreamArgs): VitalsRecordedEvent {
    return toVitalsRecordedEvent(payload);
  }

  @Subscription(() => VitalsRecordedEvent, {
    description:
      "The signed-in patient's own new vitals, after commit. PATIENT only. With `after`, first every such event since that cursor.",
    subscribe: liveSubscription(myVitalsRecordedStream),
  })
  myVitalsRecorded(@Root() payload: VitalsRecordedPayload, @Args(() => OwnStreamArgs) _args: OwnStreamArgs): VitalsRecordedEvent {
    return toVitalsRecordedEvent(payload);
  }
}
