import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { WebhookDeliveries } from './webhook-deliveries';
import { CREATE_WEBHOOK_ENDPOINT, DELETE_WEBHOOK_ENDPOINT, ROTATE_WEBHOOK_SECRET, WEBHOOK_ENDPOINTS } from './webhooks.graphql';
import { formatDateTime } from '../../time';

const EVENT_TYPES = [
  'appointment.booked',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.checked_in',
  'appointment.completed',
  'appointment.no_show',
] as const;

/** A secret just issued: shown until dismissed, never fetched again. */
interface Revealed {
  readonly endpointId: string;
  readonly secret: string;
}

/**
 * A practice admin's webhooks: add an endpoint (its secret shown once), see each endpoint's
 * deliveries and redeliver, rotate a secret, delete. A disabled endpoint says why.
 */
export function WebhooksSection({ practiceId }: { practiceId: string }) {
  const endpoints = useQuery(WEBHOOK_ENDPOINTS, { variables: { practiceId } });
  const refetchQueries = [{ query: WEBHOOK_ENDPOINTS, variables: { practiceId } }];
  const [create, creating] = useMutation(CREATE_WEBHOOK_ENDPOINT, { refetchQueries });
  const [remove] = useMutation(DELETE_WEBHOOK_ENDPOINT, { refetchQueries });
  const [rotate] = useMutation(ROTATE_WEBHOOK_SECRET);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['appointment.booked', 'appointment.cancelled']);
  const [includeReason, setIncludeReason] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create({ variables: { input: { practiceId, url: url.trim(), events, includeReason } } }).then(
      ({ data }) => {
        const made = data?.createWebhookEndpoint;
        if (made?.secret) setRevealed({ endpointId: made.id, secret: made.secret });
        setUrl('');
        setIncludeReason(false);
      },
      () => undefined,
    );
  };
  const toggle = (type: string, on: boolean) => setEvents((current) => (on ? [...current, type] : current.filter((item) => item !== type)));

  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Your other systems hear about every appointment change. Deliveries are signed (CareLine-Signature) and retried for 24 hours.
      </p>
      {revealed && (
        <div role="status" className="secret" data-testid="webhook-secret">
          <p>Copy this signing secret now: it will not be shown again.</p>
          <code>{revealed.secret}</code>{' '}
          <button type="button" className="secondary" onClick={() => setRevealed(null)}>
            Done
          </button>
        </div>
      )}
      <form onSubmit={submit} className="webhook-form" aria-label="Add a webhook endpoint">
        <label>
          Endpoint URL{' '}
          <input
            type="url"
            required
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://ehr.example.org/careline"
          />
        </label>
        <fieldset>
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type} className="preferences__choice">
              <input type="checkbox" checked={events.includes(type)} onChange={(event) => toggle(type, event.target.checked)} /> {type}
            </label>
          ))}
        </fieldset>
        <label className="preferences__choice">
          <input type="checkbox" checked={includeReason} onChange={(event) => setIncludeReason(event.target.checked)} /> Include the
          appointment&apos;s reason (free text a patient wrote; off by default: it can say why someone sees a doctor)
        </label>
        <button type="submit" disabled={creating.loading || events.length === 0}>
          Add endpoint
        </button>
        {creating.error && (
          <p role="alert" className="error">
            {creating.error.message}
          </p>
        )}
      </form>
      {endpoints.error && !endpoints.data && (
        <p role="alert" className="error">
          Could not load the webhook endpoints.
        </p>
      )}
      <ul className="webhook-endpoints">
        {endpoints.data?.webhookEndpoints.map((endpoint) => (
          <li key={endpoint.id} data-endpoint-id={endpoint.id}>
            <strong>{endpoint.url}</strong> <span className="muted">{endpoint.events.join(', ')}</span>
            {endpoint.includeReason && <span className="muted"> (with reasons)</span>}
            {endpoint.disabledAt && (
              <p role="alert" className="error">
                Disabled {formatDateTime(endpoint.disabledAt)}: {endpoint.disabledReason}
              </p>
            )}
            <p>
              <button type="button" className="link" onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
                {open === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
              </button>{' '}
              <button
                type="button"
                className="link"
                onClick={() =>
                  void rotate({ variables: { id: endpoint.id } }).then(
                    ({ data }) => {
                      const secret = data?.rotateWebhookSecret.secret;
                      if (secret) setRevealed({ endpointId: endpoint.id, secret });
                    },
                    () => undefined,
                  )
                }
              >
                Rotate secret
              </button>{' '}
              <button type="button" className="link" onClick={() => void remove({ variables: { id: endpoint.id } }).catch(() => undefined)}>
                Delete
              </button>
            </p>
            {open === endpoint.id && <WebhookDeliveries endpointId={endpoint.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
