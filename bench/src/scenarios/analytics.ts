import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { BENCH_PASSWORD, postGraphQL, registerAccount, type Account } from '../support/graphql';
import { percentiles, round } from '../stats';
import type { ScenarioContext } from './context';
import type { ScenarioRow } from './row';

const DAY_MS = 86_400_000;
const SLOT_MS = 30 * 60_000;
/** The booked history ends this far ahead of now: the future part is BOOKED (or cancelled) visits. */
const AHEAD_DAYS = 14;

const INVITE = 'mutation Invite($input: InvitationInput!) { createInvitation(input: $input) { code } }';
const REGISTER = 'mutation Register($input: RegisterInput!) { register(input: $input) { token user { id email } } }';
const PRACTICE = 'query Practice { me { doctor { practice { id } } } }';
const HOURS = 'mutation Hours($d: ID!, $h: [WorkingHoursInput!]!) { setWorkingHours(doctorId: $d, hours: $h) { timeZone } }';
const ANALYTICS = `query Analytics($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  practiceAnalytics(practiceId: $p, from: $from, to: $to) {
    appointments booked completed cancelled noShows lateCancelled noShowRate lateCancellationRate utilization
    medianLeadTimeDays thirdNextAvailableDays newPatientShare selfBookedShare confirmedShare medianCycleMinutes
    byDay { date appointments completed cancelled noShows }
    byDoctor { doctor { id name } appointments noShowRate utilization }
    previous { appointments booked completed cancelled noShows noShowRate utilization medianLeadTimeDays newPatientShare }
  }
}`;

/**
 * One practice: its admin (a self-registered doctor), doctors invited into it, and patients, all
 * through the public API. Every doctor works around the clock (00:00-24:00 each day), so utilization
 * and third next available are computed, not skipped.
 */
async function makePractice(
  url: string,
  doctors: number,
  patients: number,
): Promise<{ practiceId: string; admin: Account; doctorIds: string[]; patientIds: string[] }> {
  const run = randomBytes(3).toString('hex');
  const admin = await registerAccount(url, 'DOCTOR', `analytics-admin-${run}@bench.careline`, 'Dr. Analytics Admin');
  const practice = await postGraphQL<{ me: { doctor: { practice: { id: string } } | null } }>(url, PRACTICE, {}, admin.token);
  const practiceId = practice.data?.me.doctor?.practice.id;
  if (!practiceId) throw new Error(`the admin's practice: ${JSON.stringify(practice.errors)}`);
  const members: Account[] = [admin];
  for (let i = 1; i < doctors; i++) {
    const email = `analytics-doctor-${run}-${i}@bench.careline`;
    const invited = await postGraphQL<{ createInvitation: { code: string } }>(
      url,
      INVITE,
      { input: { practiceId, role: 'DOCTOR', email } },
      admin.token,
    );
    const code = invited.data?.createInvitation.code;
    if (!code) throw new Error(`createInvitation: ${JSON.stringify(invited.errors)}`);
    const input = { email, password: BENCH_PASSWORD, name: `Dr. Analytics ${i}`, role: 'DOCTOR', specialty: 'Bench', invitationCode: code };
    const registered = await postGraphQL<{ register: { token: string; user: { id: string; email: string } } }>(url, REGISTER, { input });
    const account = registered.data?.register;
    if (!account) throw new Error(`register (invited doctor): ${JSON.stringify(registered.errors)}`);
    members.push({ id: account.user.id, email: account.user.email, token: account.token });
  }
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' }));
  for (const doctor of members) {
    const set = await postGraphQL(url, HOURS, { d: doctor.id, h: allDay }, doctor.token);
    if (set.errors) throw new Error(`setWorkingHours: ${JSON.stringify(set.errors)}`);
  }
  const patientIds: string[] = [];
  for (let i = 0; i < patients; i++)
    patientIds.push((await registerAccount(url, 'PATIENT', `analytics-patient-${run}-${i}@bench.careline`, `Analytics Patient ${i}`)).id);
  return { practiceId, admin, doctorIds: members.map((doctor) => doctor.id), patientIds };
}

/**
 * The history, in one INSERT from generate_series (not the API: a million bookings through it would
 * take hours). Appointment g is doctor g mod D's k-th back-to-back 30-minute visit (k = g div D),
 * so no doctor's visits overlap, and goes to patient (g mod P): the D visits of one slot have D
 * different patients (P >= D). The last AHEAD_DAYS are ahead of now: BOOKED, one in ten cancelled.
 * Before now: 78 % completed (checked in 5 minutes before, completed 25 minutes after the start),
 * 7 % no-shows, 15 % cancelled 0-71 hours before the start (a third of them late). Booked 0-29 days
 * ahead, one in five by the practice's admin for the patient, half confirmed by the patient.
 */
const SEED = `
  INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, status, created_at, created_by_id,
                            checked_in_at, completed_at, no_show_at, cancelled_at, confirmed_at, updated_at)
  SELECT s.doctor_id, s.patient_id, s.starts_at, s.starts_at + interval '30 minutes', s.status::"AppointmentStatus",
         s.created_at, CASE WHEN s.g % 5 = 0 THEN $5::uuid ELSE s.patient_id END,
         CASE WHEN s.status = 'COMPLETED' THEN s.starts_at - interval '5 minutes' END,
         CASE WHEN s.status = 'COMPLETED' THEN s.starts_at + interval '25 minutes' END,
         CASE WHEN s.status = 'NO_SHOW' THEN s.starts_at + interval '15 minutes' END,
         CASE WHEN s.status = 'CANCELLED' THEN s.starts_at - make_interval(hours => (s.g % 72)::int) END,
         CASE WHEN s.g % 2 = 0 THEN s.created_at + interval '1 hour' END,
         s.created_at
  FROM (
    SELECT g, t.doctor_id, t.patient_id, t.starts_at, t.starts_at - make_interval(days => (g % 30)::int, hours => 1) AS created_at,
           CASE
             WHEN t.starts_at >= $6::timestamptz THEN CASE WHEN (g * 7919) % 10 = 0 THEN 'CANCELLED' ELSE 'BOOKED' END
             WHEN (g * 7919) % 100 < 78 THEN 'COMPLETED'
             WHEN (g * 7919) % 100 < 85 THEN 'NO_SHOW'
             ELSE 'CANCELLED'
           END AS status
    FROM generate_series(0, $1::bigint - 1) AS g
    CROSS JOIN LATERAL (
      SELECT ($2::uuid[])[(g % cardinality($2::uuid[])) + 1] AS doctor_id,
             ($3::uuid[])[(g % cardinality($3::uuid[])) + 1] AS patient_id,
             $4::timestamptz + (g / cardinality($2::uuid[])) * interval '30 minutes' AS starts_at
    ) AS t
  ) AS s`;

/**
 * practiceAnalytics over 1,000,000 appointments (issue 29's bar: a 31-day answer under 300 ms):
 * one practice of 10 doctors and 50 patients whose back-to-back history (5.7 years, every doctor
 * booked around the clock) is seeded straight into PostgreSQL, then the 31 days before now asked
 * over HTTP one request at a time, end to end (both periods, byDay, byDoctor, utilization and
 * third next available). Runs on one services target (the database is shared: services-1, or
 * services-2 when it runs alone); the floor and the embedded database are skipped.
 */
export async function runAnalytics(ctx: ScenarioContext): Promise<ScenarioRow> {
  const { target, options } = ctx;
  const measuredOn = options.targets.includes('services-1') ? 'services-1' : 'services-2';
  if (target.name !== measuredOn) {
    return {
      scenario: 'analytics',
      target: target.name,
      metrics: {},
      ratioKeys: [],
      deliveryFailures: 0,
      details: { skipped: `seeded and measured once, on ${measuredOn} (PostgreSQL)` },
    };
  }
  const url = target.instances[0]!.url;
  const practice = await makePractice(url, options.analyticsDoctors, options.analyticsPatients);
  const now = Date.now();
  const perDoctor = Math.ceil(options.analyticsAppointments / practice.doctorIds.length);
  // On a half hour, so the end of the history is AHEAD_DAYS from now.
  const first = Math.floor((now + AHEAD_DAYS * DAY_MS - perDoctor * SLOT_MS) / SLOT_MS) * SLOT_MS;
  const db = new Client({ connectionString: ctx.database.url });
  await db.connect();
  let seedMs: number;
  try {
    const started = performance.now();
    const seeded = await db.query(SEED, [
      options.analyticsAppointments,
      practice.doctorIds,
      practice.patientIds,
      new Date(first),
      practice.admin.id,
      new Date(now),
    ]);
    await db.query('ANALYZE appointments');
    seedMs = performance.now() - started;
    if (seeded.rowCount !== options.analyticsAppointments) throw new Error(`seeded ${seeded.rowCount} appointments`);
  } finally {
    await db.end();
  }

  const variables = { p: practice.practiceId, from: new Date(now - 31 * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  const ask = async (): Promise<{ ms: number; appointments: number }> => {
    const started = performance.now();
    const result = await postGraphQL<{ practiceAnalytics: { appointments: number } }>(url, ANALYTICS, variables, practice.admin.token);
    const ms = performance.now() - started;
    if (!result.data?.practiceAnalytics) throw new Error(`practiceAnalytics: ${JSON.stringify(result.errors)}`);
    return { ms, appointments: result.data.practiceAnalytics.appointments };
  };
  // Warm-up (unmeasured): the statements prepared and the pages cached, as on a server that has been up.
  for (let i = 0; i < 3; i++) await ask();
  const times: number[] = [];
  let inRange = 0;
  for (let i = 0; i < options.analyticsRequests; i++) {
    const answer = await ask();
    times.push(answer.ms);
    inRange = answer.appointments;
  }
  const p = percentiles(times);
  return {
    scenario: 'analytics',
    target: target.name,
    metrics: {
      appointments: options.analyticsAppointments,
      inRange,
      seedS: round(seedMs / 1000, 1),
      p50: round(p.p50),
      p99: round(p.p99),
      max: round(Math.max(...times)),
    },
    ratioKeys: [],
    deliveryFailures: 0,
    details: {
      doctors: practice.doctorIds.length,
      patients: practice.patientIds.length,
      requests: options.analyticsRequests,
      rangeDays: 31,
      targetMs: 300,
      historyDays: round((perDoctor * SLOT_MS) / DAY_MS, 1),
    },
  };
}
