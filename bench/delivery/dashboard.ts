import { DashboardSocket, type ReceivedEvent } from '../src/load/dashboard-socket';
import { bookingIndexOf } from '../src/slots';
import type { Account } from '../src/support/graphql';

/** One event as a dashboard saw it: which booking of the run (slots.ts reasonOf) and when (epoch ms). */
export interface SeenEvent {
  readonly index: number;
  readonly receivedAtMs: number;
}

/**
 * A doctor's dashboard on one instance: one socket with one patientAdded subscription (the main
 * harness's hand-written graphql-transport-ws client). Records every event of the run's bookings,
 * duplicates included; anything else (an error message, a stranger's event, the socket closing
 * under it) is a problem the script reports.
 */
export class Dashboard {
  readonly seen: SeenEvent[] = [];
  readonly problems: string[] = [];
  private readonly waiters = new Set<() => void>();
  private socket: DashboardSocket | undefined;
  private closing = false;

  private constructor(
    readonly doctorId: string,
    private readonly tag: string,
  ) {}

  /** Connects as the doctor and subscribes; whether the subscription is live yet, ask the server (waitForSubscribers). */
  static async open(wsUrl: string, doctor: Account, tag: string): Promise<Dashboard> {
    const dashboard = new Dashboard(doctor.id, tag);
    dashboard.socket = await DashboardSocket.open(
      wsUrl,
      doctor.token,
      (_id, event, receivedAtMs) => dashboard.record(event, receivedAtMs),
      (code) => {
        if (!dashboard.closing) dashboard.problems.push(`socket closed with ${code}`);
      },
    );
    dashboard.socket.subscribe('1', doctor.id);
    return dashboard;
  }

  private record(event: ReceivedEvent | undefined, receivedAtMs: number): void {
    const booking = bookingIndexOf(event?.reason ?? null);
    if (!event) this.problems.push('an error message instead of an event');
    else if (booking?.tag !== this.tag) this.problems.push(`an event of another booking (reason ${JSON.stringify(event.reason)})`);
    else this.seen.push({ index: booking.index, receivedAtMs });
    for (const wake of this.waiters) wake();
  }

  /** Resolves once `count` events have been seen in total; rejects after `timeoutMs`. */
  async waitForCount(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.seen.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `the dashboard of ${this.doctorId} saw ${this.seen.length} of ${count} events in ${timeoutMs} ms; problems: ${JSON.stringify(this.problems)}`,
        );
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.socket?.close();
  }
}
