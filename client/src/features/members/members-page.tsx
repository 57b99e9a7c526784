import { useEffect } from 'react';
import { useQuery } from '@apollo/client/react';
import { formatDateTime } from '../../time';
import { InviteForm } from './invite-form';
import { ADMIN_OF, PRACTICE_MEMBERS } from './members.graphql';
import { WebhooksSection } from '../webhooks/webhooks-section';

const ROLE_NAMES = { DOCTOR: 'Doctor', STAFF: 'Front desk', PATIENT: 'Patient' } as const;

/** A practice admin's page: the members, the invitations not used yet, and inviting someone. */
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
  const practice = data?.practice;
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
            <ul className="member-list">
              {practice.members.map((member) => (
                <li key={member.id} data-member-id={member.id}>
                  <span className="schedule__who">{member.name}</span> <span className="muted">{member.email}</span>{' '}
                  <span className="tag">{ROLE_NAMES[member.role]}</span>
                  {member.admin && <span className="tag">admin</span>}
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
                    <span className="muted small"> · until {formatDateTime(invitation.expiresAt)}</span>
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
      <WebhooksSection practiceId={practiceId} />
    </div>
  );
}
