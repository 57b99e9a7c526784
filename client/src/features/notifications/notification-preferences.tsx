import { useMutation, useQuery } from '@apollo/client/react';
import { NOTIFICATION_PREFERENCES, UPDATE_NOTIFICATION_PREFERENCES } from './notifications.graphql';

type Choice = 'confirmations' | 'reminders';

const LABELS: Readonly<Record<Choice, string>> = {
  confirmations: 'Email me when an appointment is booked, moved or cancelled (with a calendar entry)',
  reminders: 'Email me a reminder before each appointment',
};

/** The patient's mail choices: each checkbox saves at once; both are on until turned off. */
export function NotificationPreferencesPanel() {
  const preferences = useQuery(NOTIFICATION_PREFERENCES);
  const [update, saving] = useMutation(UPDATE_NOTIFICATION_PREFERENCES);
  const current = preferences.data?.notificationPreferences;

  const toggle = (choice: Choice, on: boolean) => {
    if (!current) return;
    const next = {
      __typename: 'NotificationPreferences' as const,
      confirmations: current.confirmations,
      reminders: current.reminders,
      [choice]: on,
    };
    void update({
      variables: { input: { [choice]: on } },
      optimisticResponse: { __typename: 'Mutation', updateNotificationPreferences: next },
      // The object has no id to normalise on: write the answer where the query reads it.
      update: (cache, { data }) => {
        if (data)
          cache.writeQuery({
            query: NOTIFICATION_PREFERENCES,
            data: { __typename: 'Query', notificationPreferences: data.updateNotificationPreferences },
          });
      },
    }).catch(() => undefined);
  };

  return (
    <section className="panel" aria-labelledby="notifications-title" aria-busy={preferences.loading}>
      <h2 id="notifications-title">Email notifications</h2>
      {preferences.loading && !current && <p role="status">Loading your choices…</p>}
      {preferences.error && !current && (
        <p role="alert" className="error">
          Could not load your notification choices.
        </p>
      )}
      {current && (
        <fieldset className="preferences">
          <legend className="muted">Choose what we email you</legend>
          {(Object.keys(LABELS) as Choice[]).map((choice) => (
            <label key={choice} className="preferences__choice">
              <input type="checkbox" checked={current[choice]} onChange={(event) => toggle(choice, event.target.checked)} />{' '}
              {LABELS[choice]}
            </label>
          ))}
        </fieldset>
      )}
      {saving.error && (
        <p role="alert" className="error">
          Could not save your choice. Please try again.
        </p>
      )}
      {saving.data && !saving.loading && !saving.error && (
        <p role="status" className="muted" data-testid="preferences-saved">
          Saved.
        </p>
      )}
    </section>
  );
}
