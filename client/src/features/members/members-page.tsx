import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { formatDateTime } from '../../time';
import { InviteForm } from './invite-form';
import { ADMIN_OF, PRACTICE_MEMBERS, PRACTICE_SECURITY_EVENTS, REMOVE_MEMBER, REVOKE_INVITATION } from './members.graphql';
import { SecurityEvents } from './security-events';
import { WebhooksSection } from '../webhooks/webhooks-section';

const ROLE_NAMES = { DOCTOR: 'Doctor', STAFF: 'Front desk', PATIENT: 'Patient' } as const;

/** A practice admin's page: the members (and removing one), the invitations not used yet (and revoking one), inviting someone, the security events. */
export function MembersPage() {
  const adminOf = useQuery(ADMIN_OF);
  const practice = adminOf.data?.me.adminOf[0];
  useEffect(() => {
    document.title = 'Members · CareLine';
    return () => {
      document.title = 'CareLine';
    };
  }, []);
  if (adminOf.loading && !adminOf.data) return <p role="status">Loading…</p>;
  if (!practice)
    return (
      <p role="alert" className="error">
        Only a practice admin can manage its members.
      </p>
    );
  return <Members practiceId={practice.id} />;
}

function Members({ practiceId }: { practiceId: string }) {
  const { data, loading, error, refetch } = useQuery(PRACTICE_MEMBERS, { variables: { id: practiceId } });
  const refetchQueries = [
    { query: PRACTICE_MEMBERS, variables: { id: practiceId } },
    { query: PRACTICE_SECURITY_EVENTS, variables: { practiceId } },
  ];
  const [removeMember, removing] = useMutation(REMOVE_MEMBER, { refetchQueries, awaitRefetchQueries: true });
  const [revokeInvitation] = useMutation(REVOKE_INVITATION, { refetchQueries, awaitRefetchQueries: true });
  // The member whose removal waits for a second click (removing someone cannot be undone).
  const [confirming, setConfirming] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const practice = data?.practice;
  const act = (work: Promise<unknown>) =>
    work.then(
      () => setFailure(null),
      (reason: unknown) => setFailure(reason instanceof Error ? reason.message : 'That did not work.'),
    );
  return (
    <div className="dashboard members">
      <h1>{practice?.name ?? 'Members'}</h1>
      {loading && !data && <p role="status">Loading the members…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load the members.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {practice && (
        <div className="dashboard__grid">
          <section className="panel" aria-labelledby="members-title">
            <h2 id="members-title">Members</h2>
            {failure && (
              <p role="alert" className="error">
                {failure}
              </p>
            )}
            <ul className="member-list">
              {practice.members.map((member) => (
                <li key={member.id} data-member-id={member.id}>
                  <span className="schedule__who">{member.name}</span> <span className="muted">{member.email}</span>{' '}
                  <span className="tag">{ROLE_NAMES[member.role]}</span>
                  {member.admin && <span className="tag">admin</span>}{' '}
                  {confirming === member.id ? (
                    <span role="group" aria-label={`Confirm removing ${member.name}`}>
                      <span className="small">Remove {member.name}? They are signed out everywhere at once.</span>{' '}
                      <button
                        type="button"

                        disabled={removing.loading}
                        onClick={() => {
                          setConfirming(null);
                          void act(removeMember({ variables: { practiceId, userId: member.id } }));
                        }}
                      >
                        Confirm removal
                      </button>{' '}
                      <button type="button" className="link" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="link" aria-label={`Remove ${member.name}`} onClick={() => setConfirming(member.id)}>
                      Remove
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <h2 id="pending-title">Pending invitations</h2>
            {practice.pendingInvitations.length === 0 ? (
              <p className="muted">No invitation is waiting to be used.</p>
            ) : (
              <ul className="member-list" aria-labelledby="pending-title">
                {practice.pendingInvitations.map((invitation) => (
                  <li key={invitation.id} data-invitation-id={invitation.id}>
                    <span className="schedule__who">{invitation.email}</span> <span className="tag">{ROLE_NAMES[invitation.role]}</span>
                    {invitation.admin && <span className="tag">admin</span>}
                    <span className="muted small"> · until {formatDateTime(invitation.expiresAt)}</span>{' '}
                    <button
                      type="button"
                      className="link"
                      aria-label={`Revoke the invitation for ${invitation.email}`}
                      onClick={() => void act(revokeInvitation({ variables: { id: invitation.id } }))}
                    >
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel">
            <InviteForm practiceId={practiceId} />
          </section>
        </div>
      )}
      {practice && <SecurityEvents practiceId={practiceId} />}
      <WebhooksSection practiceId={practiceId} />
    </div>
  );
}
