import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/request-context';
import { notFound } from '../../platform/errors';
import { Doctor } from '../doctors/doctors.type';
import { DEFAULT_PAGE_SIZE } from '../patients/patients.service';
import { PatientConnection } from '../patients/patients.type';
import { InvitationInput } from './practices.input';
import { Invitation, Practice, PracticeMember, StaffMember } from './practices.type';

async function practiceOf(ctx: RequestContext, practiceId: string): Promise<Practice> {
  return (await ctx.loaders.practice.load(practiceId)) ?? Promise.reject(notFound('Practice'));
}

@Resolver(() => Practice)
export class PracticeResolver {
  @Query(() => Practice, { description: 'A practice with its members and admins. Members of that practice only (FORBIDDEN otherwise).' })
  practice(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Practice> {
    return ctx.services.practices.practice(ctx.viewer, id);
  }

  @Query(() => PatientConnection, {
    description:
      "The practice's patients (anyone who has or had an appointment with one of its doctors), newest first. Its staff and admins only.",
  })
  practicePatients(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1 to 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Arg('search', () => String, { nullable: true, description: 'Part of a name or email, or a date of birth as YYYY-MM-DD.' })
    search: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PatientConnection> {
    return ctx.services.practicePatients.listPracticePatients(ctx.viewer, practiceId, first ?? DEFAULT_PAGE_SIZE, after, search);
  }

  @Mutation(() => Invitation, {
    description:
      'An admin of the practice invites a doctor, staff member or patient by email (a patient is never an admin). The code is in this answer only.',
  })
  createInvitation(@Arg('input', () => InvitationInput) input: InvitationInput, @Ctx() ctx: RequestContext): Promise<Invitation> {
    return ctx.services.invitations.createInvitation(ctx.viewer, input);
  }

  @Mutation(() => Boolean, {
    description:
      "A signed-in patient accepts a practice's PATIENT invitation sent to their email: they become a patient of that practice (its staff may book for them). A wrong, used, withdrawn or expired code is FORBIDDEN, as at registration.",
  })
  acceptInvitation(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.invitations.acceptInvitation(ctx.viewer, code);
  }

  @Mutation(() => Boolean, {
    description:
      'An admin of the practice removes a doctor or staff member: their account can no longer sign in and all their sessions end at once (sockets closed 4401). The last admin cannot be removed (BAD_USER_INPUT); an account that is not a member of it is NOT_FOUND.',
  })
  removeMember(
    @Arg('practiceId', () => ID) practiceId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.memberRemoval.removeMember(ctx.viewer, practiceId, userId);
  }

  @Mutation(() => Boolean, {
    description:
      'An admin of its practice withdraws an unused invitation: the code stops working at once and it leaves pendingInvitations. A used one is BAD_USER_INPUT.',
  })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.invitations.revokeInvitation(ctx.viewer, id);
  }

  @FieldResolver(() => [Doctor], { description: 'Its doctors, by name.' })
  doctors(@Root() practice: Practice, @Ctx() ctx: RequestContext): Promise<Doctor[]> {
    return ctx.services.practices.doctorsOf(practice.id);
  }

  @FieldResolver(() => [StaffMember], { description: 'Its front-desk accounts. Members of the practice only.' })
  staff(@Root() practice: Practice, @Ctx() ctx: RequestContext): Promise<StaffMember[]> {
    return ctx.services.practices.staffOf(ctx.viewer, practice.id);
  }

  @FieldResolver(() => [PracticeMember], {
    description: 'Its doctors and staff with their admin flag, by name. Members of the practice only.',
  })
  members(@Root() practice: Practice, @Ctx() ctx: RequestContext): Promise<PracticeMember[]> {
    return ctx.services.practices.membersOf(ctx.viewer, practice.id);
  }

  @FieldResolver(() => [PracticeMember], { description: 'The members who may invite. Members of the practice only.' })
  async admins(@Root() practice: Practice, @Ctx() ctx: RequestContext): Promise<PracticeMember[]> {
    return (await ctx.services.practices.membersOf(ctx.viewer, practice.id)).filter((member) => member.admin);
  }

  @FieldResolver(() => [Invitation], {
    description: 'Unused, unexpired invitations, newest first, without their codes. Admins of the practice only.',
  })
  pendingInvitations(@Root() practice: Practice, @Ctx() ctx: RequestContext): Promise<Invitation[]> {
    return ctx.services.invitations.pendingInvitations(ctx.viewer, practice.id);
  }
}

/** `Doctor.practice`: declared here, so the doctors feature needs to know nothing of practices. */
@Resolver(() => Doctor)
export class DoctorPracticeResolver {
  @FieldResolver(() => Practice, { description: 'The practice the doctor belongs to.' })
  practice(@Root() doctor: Doctor, @Ctx() ctx: RequestContext): Promise<Practice> {
    return practiceOf(ctx, doctor.practiceId);
  }
}

@Resolver(() => StaffMember)
export class StaffMemberResolver {
  @FieldResolver(() => Practice)
  practice(@Root() staff: StaffMember, @Ctx() ctx: RequestContext): Promise<Practice> {
    return practiceOf(ctx, staff.practiceId);
  }
}

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => Practice)
  practice(@Root() invitation: Invitation, @Ctx() ctx: RequestContext): Promise<Practice> {
    return practiceOf(ctx, invitation.practiceId);
  }
}
