// GET /metrics as Prometheus scrapes it: protected by METRICS_TOKEN, parseable, and moving when a
// patient books while the doctor's dashboard is subscribed.
import { book, futureSlot, registerDoctor, registerPatient } from '../helpers/accounts';
import { scrape, type Samples } from '../helpers/prometheus';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitForDoctorSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const TOKEN = 'metrics-token-for-the-test-run';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('services', { METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await server.dispose();
});

const value = (samples: Samples, key: string) => samples.get(key) ?? 0;

it('refuses a scrape without the bearer token with 401', async () => {
  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
});

it('reports requests, sockets, subscriptions, events, latency, the outbox, the pool and process metrics, moving after a booking', async () => {
  const doctor = await registerDoctor(server);
  const patient = await registerPatient(server);
  const dashboard = subscribe<{ patientAdded: { appointment: { id: string } } }>(
    server.wsUrl,
    doctor.token,
    'subscription ($d: ID!) { patientAdded(doctorId: $d) { appointment { id } } }',
    { d: doctor.id },
  );
  try {
    await waitForDoctorSubscribers(server, doctor.id);
    const before = await scrape(server.url, TOKEN);
    const booked = await book(server, patient, { doctorId: doctor.id, startsAt: futureSlot() });
    expect((await dashboard.next()).data?.patientAdded.appointment.id).toBe(booked.data?.bookAppointment.id);
    const after = await scrape(server.url, TOKEN);

    const bookings = 'careline_http_requests_total{operation="mutation:bookAppointment",code="OK"}';
    expect(value(after, bookings) - value(before, bookings)).toBe(1);
    expect(value(after, 'careline_http_request_duration_seconds_count{operation="mutation:bookAppointment"}')).toBeGreaterThan(0);
    expect(value(after, 'careline_events_published_total')).toBeGreaterThan(value(before, 'careline_events_published_total'));
    expect(value(after, 'careline_events_delivered_total')).toBeGreaterThan(value(before, 'careline_events_delivered_total'));
    expect(value(after, 'careline_event_delivery_latency_seconds_count')).toBeGreaterThan(
      value(before, 'careline_event_delivery_latency_seconds_count'),
    );
    expect(value(after, 'careline_open_sockets')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'careline_active_subscriptions{field="patientAdded"}')).toBeGreaterThanOrEqual(1);
    expect(after.has('careline_outbox_backlog')).toBe(true);
    expect(after.has('careline_outbox_oldest_unpublished_age_seconds')).toBe(true);
    expect(after.has('careline_db_pool_connections{state="in_use"}')).toBe(true);
    expect(after.has('careline_db_priority_pool_connections{state="waiting"}')).toBe(true);
    expect(value(after, 'careline_component_up{component="database",kind="postgres"}')).toBe(1);
    expect(value(after, 'careline_component_up{component="pubsub",kind="redis"}')).toBe(1);
    expect(value(after, 'careline_component_up{component="rate_limit_store",kind="redis"}')).toBe(1);
    expect(after.has('careline_process_resident_memory_bytes')).toBe(true);
  } finally {
    await dashboard.dispose();
  }
  // The subscription ended: the gauge comes back down.
  const deadline = Date.now() + 5000;
  let active = Infinity;
  while (Date.now() < deadline && active > 0)
    active = value(await scrape(server.url, TOKEN), 'careline_active_subscriptions{field="patientAdded"}');
  expect(active).toBe(0);
});

it('counts refused operations by outcome code', async () => {
  const doctor = await registerDoctor(server);
  await server.gql('{ me { patient { appointments { patient { appointments { id } } } } } }', {}, doctor.token);
  const samples = await scrape(server.url, TOKEN);
  expect(value(samples, 'careline_http_requests_total{operation="invalid",code="BAD_USER_INPUT"}')).toBeGreaterThanOrEqual(1);
  expect(value(samples, 'careline_operation_refusals_total{transport="http"}')).toBeGreaterThanOrEqual(1);
});
