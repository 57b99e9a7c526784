import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { notFound } from '../../platform/errors';
import { Doctor } from '../doctors/doctors.type';
import { AddMedicalRecordInput } from './records.input';
import { DEFAULT_RECORDS_SIZE } from './records.rules';
import { MedicalRecord } from './records.type';

@Resolver(() => MedicalRecord)
export class MedicalRecordResolver {
  @Mutation(() => MedicalRecord, {
    description: 'A doctor who has the patient on their list adds a record, or corrects one of their own (supersedesId).',
  })
  addMedicalRecord(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('input', () => AddMedicalRecordInput) input: AddMedicalRecordInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MedicalRecord> {
    return ctx.services.records.addMedicalRecord(ctx.viewer, patientId, input);
  }

  @Query(() => [MedicalRecord], {
    description: "A patient's records, newest first. The patient themself, or a doctor who has them on their list.",
  })
  patientMedicalRecords(
    @Arg('patientId', () => ID) patientId: string,
    @Arg('includeSuperseded', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Also the earlier versions that were corrected.',
    })
    includeSuperseded: boolean | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_RECORDS_SIZE, description: 'How many, 1 to 200.' })
    first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MedicalRecord[]> {
    return ctx.services.records.patientMedicalRecords(ctx.viewer, patientId, includeSuperseded ?? false, first ?? DEFAULT_RECORDS_SIZE);
  }

  @FieldResolver(() => Doctor, { description: 'Who wrote it.' })
  async doctor(@Root() record: MedicalRecord, @Ctx() ctx: RequestContext): Promise<Doctor> {
    return (await ctx.loaders.doctor.load(record.doctorId)) ?? Promise.reject(notFound('Doctor'));
  }
}
