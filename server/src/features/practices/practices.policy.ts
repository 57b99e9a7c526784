import { requireViewer, type Viewer } from '../../accounts/authorization';
import { forbidden } from '../../platform/errors';
import type { Membership, PracticeMembers } from './practices.members';

/**
 * Who may do what in a practice, in one place:
 * - members (its doctors and staff) see the practice, its members and its doctors;
 * - the desk (its staff, and any admin of it) sees its patients and follows its streams;
 * - admins (a doctor or staff member with admin) invite.
 * Anyone else FORBIDDEN, anonymous UNAUTHENTICATED. Not knowing a practice id answers FORBIDDEN
 * too, so ids cannot be probed.
 */
export async function assertPracticeMember(viewer: Viewer | undefined, practiceId: string, members: PracticeMembers): Promise<Membership> {
  const membership = await members.membershipOf(requireViewer(viewer));
  if (!membership || membership.practiceId !== practiceId) throw forbidden('Only members of this practice can see it.');
  return membership;
}

/** Staff of the practice, or an admin of it. */
export async function assertPracticeDesk(viewer: Viewer | undefined, practiceId: string, members: PracticeMembers): Promise<Membership> {
  const membership = await members.membershipOf(requireViewer(viewer));
  if (!membership || !isDesk(membership, practiceId)) throw forbidden("Only the practice's front desk and admins can do this.");
  return membership;
}

/** An admin of the practice. */
export async function assertPracticeAdmin(viewer: Viewer | undefined, practiceId: string, members: PracticeMembers): Promise<Membership> {
  const membership = await members.membershipOf(requireViewer(viewer));
  if (!membership || membership.practiceId !== practiceId || !membership.admin)
    throw forbidden('Only an admin of this practice can do this.');
  return membership;
}

/** True for staff of the practice, or an admin of it. */
export function isDesk(membership: Membership, practiceId: string): boolean {
  return membership.practiceId === practiceId && (membership.role === 'STAFF' || membership.admin);
}

/** True for a staff member of the practice (booking, cancelling, checking in on a patient's behalf). */
export function isStaffOf(membership: Membership | null, practiceId: string): boolean {
  return membership !== null && membership.role === 'STAFF' && membership.practiceId === practiceId;
}

/**
 * The per-event check of a practice stream (LiveStream.recheck): is the subscriber still desk of
 * the practice? Cached per subscriber until PracticeMembers.generation() moves (a removal here or
 * a session revocation announced by any instance), then read again. Someone who left gets
 * FORBIDDEN, which ends the subscription before the event is sent.
 */
export function deskRecheck(viewer: Viewer, practiceId: string, members: PracticeMembers): () => Promise<boolean> {
  let checkedAt: number | undefined;
  return async () => {
    const generation = members.generation();
    if (checkedAt === generation) return true;
    const membership = await members.membershipOf(viewer);
    if (!membership || !isDesk(membership, practiceId)) throw forbidden('You are no longer a member of this practice.');
    checkedAt = generation;
    return true;
  };
}
