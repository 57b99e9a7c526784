import { useQuery } from '@apollo/client/react';
import { formatDateTime } from '../../time';
import { PRACTICE_SECURITY_EVENTS } from './members.graphql';

/** What a security event's action means, in the admin's words. */
const ACTIONS: Readonly<Record<string, string>> = {
  'security.signIn': 'Sign-in',
  'security.passwordChanged': 'Password changed',
  'security.mfaEnabled': 'Two-step sign-in turned on',
  'security.mfaDisabled': 'Two-step sign-in turned off',
  'security.sessionRevoked': 'Session ended',
  'security.memberJoined': 'Member joined',
  'security.memberRemoved': 'Member removed',
  'security.invitationCreated': 'Invitation created',
  'security.invitationUsed': 'Invitation used',
  'security.invitationRevoked': 'Invitation revoked',
  'security.webhookEndpointCreated': 'Webhook endpoint created',
  'security.webhookEndpointDeleted': 'Webhook endpoint deleted',
};

/** The practice's security events, newest first (an admin's view of the audit trail). */
export function SecurityEvents({ practiceId }: { practiceId: string }) {
  const { data, loading, error, refetch } = useQuery(PRACTICE_SECURITY_EVENTS, {
    variables: { practiceId },
    fetchPolicy: 'cache-and-network',
  });
  const events = data?.practiceSecurityEvents ?? [];
  return (
    <section className="panel" aria-labelledby="security-events-title">
      <h2 id="security-events-title">Security events</h2>
      {loading && !data && <p role="status">Loading the security events…</p>}
      {error && (
        <p role="alert" className="error">
          Could not load the security events.{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      {data && events.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {events.length > 0 && (
        <ul className="security-events">
          {events.map((event) => (
            <li key={event.id} data-security-event={event.action}>
              <span className="schedule__who">{ACTIONS[event.action] ?? event.action}</span>{' '}
              {event.outcome !== 'SUCCESS' && <span className="tag">{event.outcome.toLowerCase().replace('_', ' ')}</span>}{' '}
              <span className="muted small">
                {formatDateTime(event.at)} · {event.actorName ?? 'unknown'}
                {event.clientAddress ? ` · ${event.clientAddress}` : ''}
                {event.userAgent ? ` · ${event.userAgent}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
