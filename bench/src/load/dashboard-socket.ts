import WebSocket from 'ws';
import { epochNowMs } from '../clock';

/**
 * What a dashboard subscribes to: the fields a doctor's screen merges. The commit stamp comes as
 * the debug-only `extensions.committedAtMs` of each `next` message (the server runs with
 * DEBUG_ENDPOINTS=true under the bench; the public schema has no such field).
 */
export const DASHBOARD_SUBSCRIPTION = /* GraphQL */ `
  subscription Dashboard($doctorId: ID!) {
    patientAdded(doctorId: $doctorId) {
      cursor
      doctorId
      firstVisit
      patient {
        id
        name
        dateOfBirth
      }
      appointment {
        id
        startsAt
        endsAt
        status
        reason
      }
    }
  }
`;

/** The event as the bench reads it (only what it measures). */
export interface ReceivedEvent {
  readonly reason: string | null;
  readonly committedAtMs: number | null;
}

type OnEvent = (subscriptionId: string, event: ReceivedEvent | undefined, receivedAtMs: number) => void;

/**
 * One dashboard connection speaking graphql-transport-ws by hand over `ws` (the public protocol,
 * without graphql-ws's client bookkeeping, so one load process can hold thousands of them).
 */
export class DashboardSocket {
  private constructor(private readonly ws: WebSocket) {}

  /** Connects and completes connection_init/ack; rejects on a close or error before the ack. */
  static open(url: string, token: string, onEvent: OnEvent, onClose: (code: number) => void, timeoutMs = 30_000): Promise<DashboardSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('connection_ack timed out'));
      }, timeoutMs);
      let acked = false;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (data: Buffer) => {
        const receivedAtMs = epochNowMs();
        const message = JSON.parse(data.toString('utf8')) as {
          type: string;
          id?: string;
          payload?: {
            data?: { patientAdded?: { appointment: { reason: string | null } } };
            extensions?: { committedAtMs?: number };
            errors?: unknown;
          };
        };
        switch (message.type) {
          case 'connection_ack':
            acked = true;
            clearTimeout(timer);
            resolve(new DashboardSocket(ws));
            return;
          case 'ping':
            ws.send('{"type":"pong"}');
            return;
          case 'next': {
            const event = message.payload?.data?.patientAdded;
            const committedAtMs = message.payload?.extensions?.committedAtMs ?? null;
            onEvent(message.id ?? '', event ? { reason: event.appointment.reason, committedAtMs } : undefined, receivedAtMs);
            return;
          }
          case 'error':
            onEvent(message.id ?? '', undefined, receivedAtMs);
            return;
          default:
            return;
        }
      });
      ws.on('error', (error) => {
        if (!acked) {
          clearTimeout(timer);
          reject(error);
        }
      });
      ws.on('close', (code) => {
        if (!acked) {
          clearTimeout(timer);
          reject(new Error(`closed with ${code} before connection_ack`));
        } else onClose(code);
      });
    });
  }

  subscribe(id: string, doctorId: string): void {
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: DASHBOARD_SUBSCRIPTION, variables: { doctorId } } }));
  }

  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** Closes normally and resolves once the close handshake is done (or after 5 s, terminated). */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 5000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }
}
