import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { Channel } from '../../__generated__/graphql';
import { apiProblem } from '../../errors';
import { formatDateTime } from '../../time';
import { MESSAGE_SETTINGS, UPDATE_NOTIFICATION_SETTINGS } from './notifications.graphql';

const CHANNELS: ReadonlyArray<{ readonly channel: Channel; readonly label: string }> = [
  { channel: 'EMAIL', label: 'Email' },
  { channel: 'SMS', label: 'Text message (SMS)' },
  { channel: 'PUSH', label: 'Browser notification (push)' },
];

/**
 * Where appointment messages reach the signed-in user: channels, the phone for texts and the
 * consent texts need (the server refuses SMS without both and says which is missing).
 */
export function MessageSettingsPanel() {
  const settings = useQuery(MESSAGE_SETTINGS);
  const [save, saving] = useMutation(UPDATE_NOTIFICATION_SETTINGS);
  const current = settings.data?.me;
  const [phone, setPhone] = useState('');
  const [channels, setChannels] = useState<Channel[]>([]);
  const [consent, setConsent] = useState(false);
  const [problem, setProblem] = useState<{ field: string | undefined; message: string } | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!current) return;
    setPhone(current.phone ?? '');
    setChannels(current.notificationChannels);
    setConsent(current.smsConsentAt != null);
  }, [current]);

  const toggle = (channel: Channel, on: boolean) =>
    setChannels((chosen) => (on ? [...chosen.filter((c) => c !== channel), channel] : chosen.filter((c) => c !== channel)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setSaved(false);
    try {
      await save({ variables: { input: { phone: phone.trim(), channels, smsConsent: consent } } });
      setSaved(true);
    } catch (error) {
      const { field, message } = apiProblem(error);
      setProblem({ field, message });
    }
  };
  const errorFor = (field: string) =>
    problem?.field === field ? (
      <p id={`messages-${field}-error`} role="alert" className="field-error">
        {problem.message}
      </p>
    ) : null;

  return (
    <section className="panel" aria-labelledby="messages-title" aria-busy={settings.loading}>
      <h2 id="messages-title">Appointment messages</h2>
      {settings.error && !current && (
        <p role="alert" className="error">
          Could not load your message settings.
        </p>
      )}
      {current && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <fieldset className="preferences">
            <legend>Send my appointment messages by</legend>
            {CHANNELS.map(({ channel, label }) => (
              <label key={channel} className="preferences__choice">
                <input type="checkbox" checked={channels.includes(channel)} onChange={(event) => toggle(channel, event.target.checked)} />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <label htmlFor="messages-phone">Mobile phone, with country code</label>
          <input
            id="messages-phone"
            type="tel"
            autoComplete="tel"
            placeholder="+1 415 555 2671"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
            aria-describedby={problem?.field === 'phone' ? 'messages-phone-error' : undefined}
            aria-invalid={problem?.field === 'phone'}
          />
          {errorFor('phone')}
          <label className="preferences__choice">
            <input
              type="checkbox"
              checked={consent}
              onChange={(event) => setConsent(event.target.checked)}
              aria-describedby={problem?.field === 'smsConsent' ? 'messages-smsConsent-error' : undefined}
            />{' '}
            I agree to receive appointment texts (confirmations, reminders, changes) on this phone. Reply STOP to stop them, HELP for help.
          </label>
          {current.smsConsentAt && <p className="muted">Agreed on {formatDateTime(current.smsConsentAt)}.</p>}
          {errorFor('smsConsent')}
          {problem && problem.field !== 'phone' && problem.field !== 'smsConsent' && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <button type="submit" disabled={saving.loading}>
            {saving.loading ? 'Saving…' : 'Save message settings'}
          </button>
          {saved && (
            <p role="status" className="notice" data-testid="message-settings-saved">
              Saved.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
