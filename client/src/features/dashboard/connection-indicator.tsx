import { useConnectionState, type ConnectionState, type ConnectionStatus } from '../../connection-status';

const LABELS: Record<ConnectionState, { text: string; hint: string }> = {
  connecting: { text: 'Connecting', hint: 'Opening the live connection.' },
  live: { text: 'Live', hint: 'New bookings appear as soon as they are made.' },
  reconnecting: { text: 'Reconnecting', hint: 'Connection lost; retrying. Bookings made meanwhile will appear when it is back.' },
  offline: { text: 'Offline', hint: 'No connection to CareLine; still retrying. The list may be out of date.' },
};

/** The live-connection state, announced politely to screen readers when it changes. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const state = useConnectionState(status);
  const label = LABELS[state];
  return (
    <span className={`connection connection--${state}`} role="status" aria-live="polite" title={label.hint} data-state={state}>
      <span className="connection__dot" aria-hidden="true" />
      {label.text}
      <span className="visually-hidden">: {label.hint}</span>
    </span>
  );
}
