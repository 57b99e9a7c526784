import { useConnectionState, type ConnectionState, type ConnectionStatus } from '../../connection-status';

const LABELS: Record<ConnectionState, { text: string; hint: string }> = {
  connecting: { text: 'Connecting', hint: 'Opening the live connection.' },
  live: { text: 'Live', hint: 'New bookings appear as soon as they are made.' },
  reconnecting: { text: 'Reconnecting', hint: 'Connection lost; retrying. Bookings made meanwhile will appear when it is back.' },
  offline: { text: 'Offline', hint: 'No connection to CareLine; still retrying. The list may be out of date.' },
};

const CATCHING_UP = { text: 'Connecting', hint: 'Connected; catching up with the latest changes.' };

/**
 * The live-connection state, announced politely to screen readers when it changes. `synced`: the
 * page's feeds are subscribed and caught up (false keeps "Connecting" on a connected socket, so
 * "Live" is never shown while a change could still be missed).
 */
export function ConnectionIndicator({ status, synced = true }: { status: ConnectionStatus; synced?: boolean }) {
  const socket = useConnectionState(status);
  const state: ConnectionState = socket === 'live' && !synced ? 'connecting' : socket;
  const label = socket === 'live' && !synced ? CATCHING_UP : LABELS[state];
  return (
    <span className={`connection connection--${state}`} role="status" aria-live="polite" title={label.hint} data-state={state}>
      <span className="connection__dot" aria-hidden="true" />
      {label.text}
      <span className="visually-hidden">: {label.hint}</span>
    </span>
  );
}
