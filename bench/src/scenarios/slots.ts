import { postGraphQL } from '../support/graphql';
import { percentiles, round } from '../stats';
import type { ScenarioContext } from './context';
import type { ScenarioRow } from './row';

const SLOTS =
  'query Slots($doctorId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { availableSlots(doctorId: $doctorId, from: $from, to: $to) }';
const WINDOW_DAYS = 7;
const PRACTICE = 'query Practice { me { doctor { practice { id } } } }';
const OPEN_AROUND_THE_CLOCK =
  'mutation Open($practiceId: ID!) { setPracticeBookableWithoutHours(practiceId: $practiceId, allowed: true) { id } }';

/**
 * The same question asked two ways, one after the other from one client: the free 30-minute slots
 * of one doctor over 7 days, as GraphQL `availableSlots` (a list of start times) and as FHIR
 * `Appointment/$find` (a Bundle with one proposed Appointment per slot). Both read the same hours,
 * days off and bookings; the ratio of their medians is what the FHIR facade adds (mapping and
 * serialising resources). Alternated request by request, so a change of the machine's load
 * weighs on both alike. The floor speaks neither: its row is empty.
 */
export async function runSlots(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { target, options } = ctx;
  if (target.kind === 'floor') {
    return {
      scenario: 'slots',
      target: target.name,
      metrics: {},
      ratioKeys: [],
      deliveryFailures: 0,
      details: { skipped: 'the floor has no slot query' },
    };
  }
  const url = target.instances[0]!.url;
  const doctor = target.accounts.doctors[0]!;
  const patient = target.accounts.patients[0]!;
  // A week past everything the other scenarios book (their slots start tomorrow).
  const from = new Date(target.accounts.plan.baseMs + 60 * 86_400_000);
  const to = new Date(from.getTime() + WINDOW_DAYS * 86_400_000);
  // The bench's doctors have no working hours (they take bookings at any time of day): their
  // practice offers them around the clock, so both answers list every slot of the week.
  const practice = await postGraphQL<{ me: { doctor: { practice: { id: string } } | null } }>(url, PRACTICE, {}, doctor.token);
  const practiceId = practice.data?.me.doctor?.practice.id;
  if (!practiceId) throw new Error(`the doctor's practice: ${JSON.stringify(practice.errors)}`);
  const opened = await postGraphQL(url, OPEN_AROUND_THE_CLOCK, { practiceId }, doctor.token);
  if (opened.errors) throw new Error(`setPracticeBookableWithoutHours: ${JSON.stringify(opened.errors)}`);
  const graphql = async (): Promise<number> => {
    const result = await postGraphQL<{ availableSlots: string[] }>(
      url,
      SLOTS,
      { doctorId: doctor.id, from: from.toISOString(), to: to.toISOString() },
      patient.token,
    );
    const slots = result.data?.availableSlots;
    if (!slots) throw new Error(`availableSlots failed: ${JSON.stringify(result.errors)}`);
    return slots.length;
  };
  const find = async (): Promise<number> => {
    const response = await fetch(`${url}/fhir/R4/Appointment/$find`, {
      method: 'POST',
      headers: { authorization: `Bearer ${patient.token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'start', valueDateTime: from.toISOString() },
          { name: 'end', valueDateTime: to.toISOString() },
          { name: 'practitioner', valueReference: { reference: `Practitioner/${doctor.id}` } },
        ],
      }),
    });
    const body = (await response.json()) as { resourceType?: string; total?: number; entry?: unknown[] };
    if (response.status !== 200 || body.resourceType !== 'Bundle')
      throw new Error(`$find failed: ${response.status} ${JSON.stringify(body)}`);
    return body.entry?.length ?? 0;
  };
  const timed = async (request: () => Promise<number>): Promise<{ ms: number; count: number }> => {
    const started = performance.now();
    const count = await request();
    return { ms: performance.now() - started, count };
  };

  // Warm-up (unmeasured): both paths compiled and cached before the timing.
  for (let i = 0; i < 10; i++) await Promise.all([graphql(), find()]);
  const graphqlMs: number[] = [];
  const findMs: number[] = [];
  let mismatches = 0;
  for (let i = 0; i < options.slotRequests; i++) {
    const a = await timed(graphql);
    const b = await timed(find);
    graphqlMs.push(a.ms);
    findMs.push(b.ms);
    if (a.count !== b.count) mismatches++;
  }
  const g = percentiles(graphqlMs);
  const f = percentiles(findMs);
  const slots = await graphql();
  return {
    scenario: 'slots',
    target: target.name,
    metrics: {
      slots,
      availableSlotsP50: round(g.p50),
      availableSlotsP99: round(g.p99),
      findP50: round(f.p50),
      findP99: round(f.p99),
      findToAvailableSlotsP50: round(f.p50 / g.p50, 2),
    },
    ratioKeys: [],
    // The two answers disagreeing on how many slots are free is a bug, not noise.
    deliveryFailures: mismatches,
    details: { requests: options.slotRequests, windowDays: WINDOW_DAYS, mismatches },
  };
}
