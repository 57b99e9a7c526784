// Load process: holds dashboard sockets, records every event each one receives (with the time it
// arrived), and runs subscribe/unsubscribe churn. Driven by the orchestrator over IPC.
import { serveIpc } from '../ipc';
import { DashboardSocket, type ReceivedEvent } from './dashboard-socket';
import { bookingIndexOf } from '../slots';

export interface SocketSpec {
  readonly index: number;
  readonly url: string;
  readonly token: string;
  readonly doctorId: string;
}

/** Flattened [socketIndex, bookingIndex, receivedAtMs, committedAtMs (NaN when absent)] per event. */
export interface Recorded {
  readonly records: number[];
  readonly errors: number;
  readonly foreign: number;
  readonly unexpectedCloses: number;
}

const sockets = new Map<number, DashboardSocket>();
const recordsByTag = new Map<string, number[]>();
let errors = 0;
let foreign = 0;
let unexpectedCloses = 0;
let closing = false;

function record(socketIndex: number, event: ReceivedEvent | undefined, receivedAtMs: number): void {
  if (!event) {
    errors += 1;
    return;
  }
  const parsed = bookingIndexOf(event.reason);
  if (!parsed) {
    foreign += 1;
    return;
  }
  let records = recordsByTag.get(parsed.tag);
  if (!records) recordsByTag.set(parsed.tag, (records = []));
  records.push(socketIndex, parsed.index, receivedAtMs, event.committedAtMs ?? Number.NaN);
}

async function inBatches<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  });
  await Promise.all(workers);
}

function openOne(spec: { index: number; url: string; token: string }): Promise<DashboardSocket> {
  return DashboardSocket.open(
    spec.url,
    spec.token,
    (_id, event, at) => record(spec.index, event, at),
    () => {
      if (!closing) unexpectedCloses += 1;
    },
  );
}

// Churn: sockets kept between batches; odd ones are closed at the end of each batch and reopened.
const churnSockets: Array<DashboardSocket | undefined> = [];
let churnIds: string[][] = [];
let churnCounter = 0;

serveIpc({
  /** Opens and subscribes sockets; resolves once every subscribe message is sent. */
  open: async (arg: { sockets: SocketSpec[]; concurrency: number }) => {
    const started = performance.now();
    let failed = 0;
    await inBatches(arg.sockets, arg.concurrency, async (spec) => {
      try {
        const socket = await openOne(spec);
        sockets.set(spec.index, socket);
        socket.subscribe('1', spec.doctorId);
      } catch {
        failed += 1;
      }
    });
    return { ms: performance.now() - started, failed };
  },
  received: (arg: { tag: string }) => (recordsByTag.get(arg.tag)?.length ?? 0) / 4,
  collect: (arg: { tag: string }): Recorded => {
    const records = recordsByTag.get(arg.tag) ?? [];
    recordsByTag.delete(arg.tag);
    const result = { records, errors, foreign, unexpectedCloses };
    errors = 0;
    foreign = 0;
    unexpectedCloses = 0;
    return result;
  },
  closeAll: async () => {
    closing = true;
    const all = [...sockets.values()];
    sockets.clear();
    await inBatches(all, 200, (socket) => socket.close());
    closing = false;
    return all.length;
  },
  /** One churn batch, first half: (re)open the churn sockets and subscribe `perSocket` times on each. */
  churnSubscribe: async (arg: { url: string; token: string; doctorId: string; sockets: number; perSocket: number }) => {
    churnIds = [];
    for (let i = 0; i < arg.sockets; i++) {
      let socket = churnSockets[i];
      if (!socket) churnSockets[i] = socket = await openOne({ index: -1, url: arg.url, token: arg.token });
      const ids: string[] = [];
      for (let j = 0; j < arg.perSocket; j++) {
        const id = `c${churnCounter++}`;
        socket.subscribe(id, arg.doctorId);
        ids.push(id);
      }
      churnIds.push(ids);
    }
    return arg.sockets * arg.perSocket;
  },
  /** Second half: even sockets complete their subscriptions, odd sockets close (both must release them). */
  churnUnsubscribe: async () => {
    closing = true;
    await Promise.all(
      churnSockets.map(async (socket, i) => {
        if (!socket) return;
        if (i % 2 === 0) for (const id of churnIds[i] ?? []) socket.complete(id);
        else {
          churnSockets[i] = undefined;
          await socket.close();
        }
      }),
    );
    closing = false;
  },
  churnClose: async () => {
    closing = true;
    await Promise.all(churnSockets.splice(0).map((socket) => socket?.close()));
    closing = false;
  },
});
