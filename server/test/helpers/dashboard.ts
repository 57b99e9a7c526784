import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { leftover } from './leftovers';
import { decodeEventCursor, encodeEventCursor } from '../../src/live/cursors';

const PATIENT_ADDED = /* GraphQL */ `
  subscription PatientAdded($doctorId: ID!, $after: String) {
    patientAdded(doctorId: $doctorId, after: $after) {
      cursor
      doctorId
      appointment {
        id
      }
    }
  }
`;

/** One event as a dashboard saw it. */
export interface SeenEvent {
  readonly seq: number;
  readonly doctorId: string;
  readonly appointmentId: string;
}

/**
 * A doctor's dashboard as the client issue specifies it: it keeps the cursor of the last event it
 * processed and, on every (re)connect, subscribes with `after` that cursor. By default it starts
 * from the beginning of the stream (cursor of seq 0), so when exactly its first subscription
 * becomes live does not matter. Records every event, duplicates included, for assertions.
 * Disconnected after the test (see leftovers.ts) whether or not the test did.
 */
export class Dashboard {
  readonly seen: SeenEvent[] = [];
  readonly errors: unknown[] = [];
  private cursor: string;
  private client: Client | undefined;
  private waiters: Array<() => void> = [];
  private closeEvent: Promise<{ code: number; reason: string }> = Promise.resolve({ code: 0, reason: 'not connected' });

  constructor(
    readonly doctorId: string,
    private readonly token: string,
    startCursor: string = encodeEventCursor(0),
  ) {
    this.cursor = startCursor;
    leftover(() => this.disconnect());
  }

  /** Opens a socket to this instance and subscribes after the last cursor. No automatic retries. */
  connect(wsUrl: string): void {
    let resolveClosed!: (event: { code: number; reason: string }) => void;
    this.closeEvent = new Promise((resolve) => (resolveClosed = resolve));
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${this.token}` },
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          resolveClosed({ code, reason: String(reason) });
        },
      },
      onNonLazyError: () => {},
    });
    this.client = client;
    client.subscribe<{ patientAdded: { cursor: string; doctorId: string; appointment: { id: string } } }>(
      { query: PATIENT_ADDED, variables: { doctorId: this.doctorId, after: this.cursor } },
      {
        next: (result) => {
          if (result.errors) this.errors.push(result.errors);
          const event = result.data?.patientAdded;
          if (!event) return;
          this.cursor = event.cursor;
          this.seen.push({ seq: decodeEventCursor(event.cursor), doctorId: event.doctorId, appointmentId: event.appointment.id });
          for (const wake of this.waiters.splice(0)) wake();
        },
        error: (error) => {
          // A closed socket also ends the subscription here; `closed` reports it, it is no error.
          if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return;
          this.errors.push(error);
        },
        complete: () => {},
      },
    );
  }

  /** The close event of the current socket. */
  get closed(): Promise<{ code: number; reason: string }> {
    return this.closeEvent;
  }

  /** Resolves once `count` events have been seen in total; rejects after `timeoutMs`. */
  async waitForCount(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.seen.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `dashboard of ${this.doctorId} saw ${this.seen.length} events after ${timeoutMs} ms, wanted ${count}; errors: ${JSON.stringify(this.errors)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.dispose();
  }
}

/** The sequence numbers 1..n. */
export const seqsUpTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
