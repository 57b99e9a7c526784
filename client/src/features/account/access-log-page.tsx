import { useQuery } from '@apollo/client/react';
import { MY_ACCESS_LOG } from './account.graphql';
import { formatDateTime } from '../../time';

const PAGE = 50;

/** What each audit action means to a patient. */
const ACTIONS: Readonly<Record<string, string>> = {
  'patients.list': 'saw you on their patient list',
  'vitals.read': 'read your vitals',
  'records.read': 'read your medical records',
  'schedule.read': 'saw your appointment on a schedule',
  'appointments.read': 'saw your appointments',
  'appointment.checkIn': 'checked you in',
  'appointment.noShow': 'marked you as not come',
  'vitals.record': 'recorded your vitals',
  'record.add': 'added to your medical records',
  'appointment.book': 'booked an appointment for you',
  'appointment.hold': 'held a time for you',
  'appointment.cancel': 'cancelled your appointment',
  'appointment.reschedule': 'moved your appointment',
  'appointment.complete': 'completed your visit',
  'event.patientAdded': 'was shown your new booking live',
  'event.appointmentUpdated': 'was shown a change to your appointment live',
  'event.vitalsRecorded': 'was shown your new vitals live',
};

/** "Who saw my data": the patient's access log from the audit trail, newest first. */
export function AccessLogPage() {
  const log = useQuery(MY_ACCESS_LOG, { variables: { first: PAGE }, fetchPolicy: 'network-only' });
  const entries = log.data?.myAccessLog ?? [];
  const loadMore = () =>
    void log.fetchMore({
      variables: { first: PAGE, after: entries.at(-1)?.cursor ?? null },
      updateQuery: (previous, { fetchMoreResult }) => ({
        ...previous,
        myAccessLog: [...previous.myAccessLog, ...fetchMoreResult.myAccessLog],
      }),
    });
  return (
    <section className="panel" aria-labelledby="access-log-title">
      <h1 id="access-log-title">Who saw my data</h1>
      <p className="muted">Every time someone else reads or changes your appointments, vitals or records, CareLine records it.</p>
      {log.loading && <p>Loading…</p>}
      {log.error && <p role="alert">The access log could not be loaded.</p>}
      {!log.loading && entries.length === 0 && <p>Nobody else has seen your data yet.</p>}
      {entries.length > 0 && (
        <table data-testid="access-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.cursor} data-action={entry.action}>
                <td>{formatDateTime(entry.at)}</td>
                <td>
                  {entry.actorName}{' '}
                  <span className="muted">({entry.actorRole === 'DOCTOR' ? 'doctor' : entry.actorRole.toLowerCase()})</span>
                </td>
                <td>
                  {ACTIONS[entry.action] ?? entry.action}
                  {entry.outcome === 'DENIED' ? ` (refused${entry.count > 1 ? `, ${entry.count} times` : ''})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.length > 0 && entries.length % PAGE === 0 && (
        <button type="button" className="secondary" onClick={loadMore}>
          Show older
        </button>
      )}
    </section>
  );
}
