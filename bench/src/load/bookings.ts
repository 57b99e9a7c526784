// Load process: books at a fixed rate, open-loop. Request i is due at t0 + i / rate whatever the
// earlier ones are doing, and its latency is measured from that due time, so a slow server cannot
// slow the load down or hide its queueing (no coordinated omission).
import http from 'node:http';
import { epochNowMs } from '../clock';
import { serveIpc } from '../ipc';
import { reasonOf, SLOT_MS, slotOf, type SlotPlan } from '../slots';

export interface BookingRun {
  /** Base URLs, used round-robin (several instances behind the same load). */
  readonly urls: string[];
  /** graphql: POST /graphql bookAppointment as the patient; floor: POST /book of the floor program. */
  readonly kind: 'graphql' | 'floor';
  readonly patients: Array<{ id: string; token: string }>;
  readonly doctors: string[];
  readonly plan: SlotPlan;
  /** Global index of the first booking (slots keep moving forward across runs on one database). */
  readonly firstIndex: number;
  readonly count: number;
  readonly ratePerSec: number;
  readonly tag: string;
  readonly timeoutMs: number;
}

export interface BookingResult {
  /** Per booking: the time it was due (epoch ms). */
  readonly dueMs: number[];
  /** Per booking: response time in ms after dueMs, or -1 without a successful response. */
  readonly responseMs: number[];
  /**
   * Per booking refused for overload (RATE_LIMITED, HTTP 429 or 503): how fast the refusal came,
   * in ms after dueMs; -1 otherwise. A refusal must be fast to be useful to the client.
   */
  readonly refusedMs: number[];
  /** Error codes seen, with counts. */
  readonly errors: Record<string, number>;
  /** How late the scheduler sent the worst request (a sign the load generator itself was starved). */
  readonly maxSendLagMs: number;
}

/** What an overloaded server answers instead of queueing (issue 18's bounded admission). */
const REFUSALS: ReadonlySet<string> = new Set(['RATE_LIMITED', 'HTTP_429', 'HTTP_503']);

const BOOK = 'mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }';
let agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(
  url: string,
  path: string,
  body: string,
  token: string | undefined,
  timeoutMs: number,
  retried = false,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, {
      method: 'POST',
      agent,
      timeout: timeoutMs,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('TIMEOUT')));
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as idle just as we reused it: the request never
      // reached the server, so sending it again is safe (the retry Node's documentation advises).
      if (request.reusedSocket && error.code === 'ECONNRESET' && !retried)
        post(url, path, body, token, timeoutMs, true).then(resolve, reject);
      else reject(error);
    });
    request.end(body);
  });
}

function bookOne(run: BookingRun, index: number): Promise<string | null> {
  const k = run.firstIndex + index;
  const slot = slotOf(run.plan, k);
  const patient = run.patients[slot.patient]!;
  const doctorId = run.doctors[slot.doctor]!;
  const url = run.urls[index % run.urls.length]!;
  const startsAt = new Date(slot.startsAtMs).toISOString();
  const reason = reasonOf(run.tag, index);
  if (run.kind === 'floor') {
    const endsAt = new Date(slot.startsAtMs + SLOT_MS).toISOString();
    return post(url, '/book', JSON.stringify({ doctorId, patientId: patient.id, startsAt, endsAt, reason }), undefined, run.timeoutMs).then(
      (r) => (r.status === 200 ? null : `HTTP_${r.status}`),
    );
  }
  const body = JSON.stringify({ query: BOOK, variables: { input: { doctorId, startsAt, durationMinutes: 30, reason } } });
  return post(url, '/graphql', body, patient.token, run.timeoutMs).then((r) => {
    const parsed = JSON.parse(r.text) as {
      data?: { bookAppointment?: { id: string } };
      errors?: Array<{ extensions?: { code?: string } }>;
    };
    if (parsed.data?.bookAppointment?.id) return null;
    return parsed.errors?.[0]?.extensions?.code ?? `HTTP_${r.status}`;
  });
}

async function runBookings(run: BookingRun): Promise<BookingResult> {
  const dueMs = new Array<number>(run.count);
  const responseMs = new Array<number>(run.count).fill(-1);
  const refusedMs = new Array<number>(run.count).fill(-1);
  const errors: Record<string, number> = {};
  let maxSendLagMs = 0;
  const inFlight: Array<Promise<void>> = [];
  const interval = 1000 / run.ratePerSec;
  const t0 = epochNowMs() + 20;
  let next = 0;
  while (next < run.count) {
    const now = epochNowMs();
    while (next < run.count && t0 + next * interval <= now) {
      const index = next++;
      const due = t0 + index * interval;
      dueMs[index] = due;
      maxSendLagMs = Math.max(maxSendLagMs, now - due);
      inFlight.push(
        bookOne(run, index).then(
          (code) => {
            if (code === null) responseMs[index] = epochNowMs() - due;
            else errors[code] = (errors[code] ?? 0) + 1;
            if (code !== null && REFUSALS.has(code)) refusedMs[index] = epochNowMs() - due;
          },
          (error: NodeJS.ErrnoException) => {
            const code = error.message === 'TIMEOUT' ? 'TIMEOUT' : `NETWORK_${error.code ?? 'ERROR'}`;
            errors[code] = (errors[code] ?? 0) + 1;
          },
        ),
      );
    }
    if (next < run.count) {
      const wait = t0 + next * interval - epochNowMs();
      await new Promise((resolve) => (wait > 1.5 ? setTimeout(resolve, Math.floor(wait)) : setImmediate(resolve)));
    }
  }
  await Promise.all(inFlight);
  return { dueMs, responseMs, refusedMs, errors, maxSendLagMs };
}

serveIpc({
  run: (run: BookingRun) => {
    // Fresh connections per run: none left idle long enough for the server to be closing it.
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    return runBookings(run);
  },
});
