import { useMutation, useQuery } from '@apollo/client/react';
import { REDELIVER_WEBHOOK, WEBHOOK_DELIVERIES } from './webhooks.graphql';
import { formatOptionalDateTime } from '../../time';

const when = formatOptionalDateTime;

/** An endpoint's delivery log, newest first, each with its status and a Redeliver button. */
export function WebhookDeliveries({ endpointId }: { endpointId: string }) {
  const deliveries = useQuery(WEBHOOK_DELIVERIES, { variables: { endpointId, first: 20 }, fetchPolicy: 'cache-and-network' });
  const [redeliver, redelivering] = useMutation(REDELIVER_WEBHOOK);
  const rows = deliveries.data?.webhookDeliveries ?? [];
  return (
    <div className="webhook-deliveries" data-testid={`deliveries-${endpointId}`}>
      <p>
        <button type="button" className="link" onClick={() => void deliveries.refetch()}>
          Refresh
        </button>
      </p>
      {deliveries.error && !deliveries.data && (
        <p role="alert" className="error">
          Could not load the deliveries.
        </p>
      )}
      {deliveries.data && rows.length === 0 && <p className="muted">No deliveries yet.</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last answer</th>
              <th>Next attempt</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-delivery-status={row.status}>
                <td>
                  {row.eventType} <span className="muted">{row.eventId}</span>
                </td>
                <td>{row.status}</td>
                <td>{row.attempts}</td>
                <td title={row.lastError ?? undefined}>{row.lastStatusCode ?? row.lastError ?? '—'}</td>
                <td>{when(row.nextAttemptAt)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={redelivering.loading}
                    onClick={() =>
                      void redeliver({ variables: { deliveryId: row.id } }).then(
                        () => deliveries.refetch(),
                        () => undefined,
                      )
                    }
                  >
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {redelivering.error && (
        <p role="alert" className="error">
          Could not redeliver: {redelivering.error.message}
        </p>
      )}
    </div>
  );
}
