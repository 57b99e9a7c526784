import type { SignedInUserFragment } from '../../__generated__/graphql';
import type { Session } from '../../session';

export function toSession(token: string, user: SignedInUserFragment): Session {
  return {
    token,
    userId: user.id,
    role: user.role,
    name: user.doctor?.name ?? user.patient?.name ?? user.staff?.name ?? user.email,
    admin: user.adminOf.length > 0,
    mfaPending: user.mfaRequired && !user.mfaEnabled,
  };
}
