// CareLine behind PgBouncer in transaction mode (Debian's 1.18, started here on a loopback port with
// two server connections per database, so the server's ten pooled connections share them), with
// DATABASE_PREPARED_STATEMENTS=false: the migrations of a fresh database, sign-up and sign-in, the
// practice, a booking received live, a cancellation, the job worker's mails and the audit trail.
// Also: the migration lock leaves nothing behind on a pooled connection, a timed-out transaction
// frees its locks, and the limitation the setting is for: a named statement behind this pooler
// fails, and CareLine names the setting in the error.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { verifyAuditChains } from '../../src/audit/audit-verify';
import { practiceStream } from '../../src/live/streams';
import { createLogger } from '../../src/platform/logger';
import { MIGRATION_LOCK_KEY, runMigrations } from '../../src/platform/migrations';
import { postgresSql, type Statement } from '../../src/platform/sql';
import { allowBookingWithoutHours, book, login, registerDoctor, registerPatient, TEST_PASSWORD } from '../helpers/accounts';
import { slotSeries } from '../helpers/bookings';
import { PATIENT_VITALS, RECORD_VITALS } from '../helpers/clinic';
import { createOwnDatabase, sqlSession, type OwnDatabase } from '../helpers/own-database';
import { startPgBouncer, type OwnPgBouncer } from '../helpers/pgbouncer';
import { PRACTICE_APPOINTMENT_UPDATED, PRACTICE_PATIENT_ADDED } from '../helpers/practices';
import { calendarOf, startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver';
import { startTestServer, TEST_AUDIT_KEY, type TestServer } from '../helpers/test-server';
import { waitForSubscribers } from '../helpers/wait-for';
import { subscribe } from '../helpers/ws-client';

const SERVER_CONNECTIONS = 2;
/** A database entry with one server connection: which one a statement lands on is then certain. */
const SINGLE = 'careline_single';

let bouncer: OwnPgBouncer;
let database: OwnDatabase;
let smtp: SmtpReceiver;
let server: TestServer;

beforeAll(async () => {
  bouncer = await startPgBouncer({
    defaultPoolSize: SERVER_CONNECTIONS,
    databases: { [SINGLE]: 'host=127.0.0.1 port=5432 dbname=postgres pool_size=1' },
  });
  database = await createOwnDatabase('careline_test_pgbouncer');
  smtp = await startSmtpReceiver();
  // Everything through the pooler, migrations included (no MIGRATION_DATABASE_URL).
  server = await startTestServer('services', {
    DATABASE_URL: bouncer.url(database.name),
    DATABASE_PREPARED_STATEMENTS: 'false',
    DATABASE_POOL_SIZE: '10',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'CareLine Test <no-reply@clinic.test>',
  });
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.close();
  await bouncer?.stop();
  await database?.drop();
});

const CANCEL = 'mutation ($id: ID!) { cancelAppointment(id: $id) { id status } }';
type Added = { practicePatientAdded: { doctorId: string; patient: { id: string }; appointment: { id: string; status: string } } };
type Updated = { practiceAppointmentUpdated: { change: string; appointment: { id: string; status: string } } };

it('migrates through the pooler with the lock held per transaction, so none is left behind', async () => {
  // Two server connections handed out in turn (server_round_robin): a session-level lock taken on
  // one would be "released" on the other and stay held, blocking every later start for good.
  const [migrating, other] = [
    new Client({ connectionString: bouncer.url(database.name) }),
    new Client({ connectionString: bouncer.url(database.name) }),
  ];
  const direct = new Client({ connectionString: database.url });
  await Promise.all([migrating.connect(), other.connect(), direct.connect()]);
  try {
    // Both server connections open: two transactions at once.
    await Promise.all([migrating.query('BEGIN'), other.query('BEGIN')]);
    await Promise.all([migrating.query('SELECT 1'), other.query('SELECT 1')]);
    await Promise.all([migrating.query('COMMIT'), other.query('COMMIT')]);

    // The server migrated this database at its start, through the pooler; nothing is left to apply.
    expect(await runMigrations(sqlSession(migrating), createLogger({ logLevel: 'silent' }))).toEqual([]);
    const held = await direct.query(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND (classid::bigint << 32) + objid::bigint = $1`,
      [MIGRATION_LOCK_KEY],
    );
    expect(held.rows[0].n).toBe(0);
  } finally {
    await Promise.all([migrating.end(), other.end(), direct.end()]);
  }
});

it('runs the whole story with unnamed statements over two shared server connections', async () => {
  const slot = slotSeries();
  // Sign up (a self-registered doctor is the admin of a practice of their own), sign in.
  const doctor = await registerDoctor(server);
  const patient = await registerPatient(server);
  const patientToken = await login(server, patient.email, TEST_PASSWORD);
  const me = await server.gql<{ me: { adminOf: Array<{ id: string; name: string }> } }>('{ me { adminOf { id name } } }', {}, doctor.token);
  const practice = me.data!.me.adminOf[0]!;
  await allowBookingWithoutHours(server, doctor);

  // The practice's desk, live.
  const added = subscribe<Added>(server.wsUrl, doctor.token, PRACTICE_PATIENT_ADDED, { practiceId: practice.id });
  const updated = subscribe<Updated>(server.wsUrl, doctor.token, PRACTICE_APPOINTMENT_UPDATED, { practiceId: practice.id });
  await waitForSubscribers(server, practiceStream(practice.id), 2);

  const booked = await book(server, { ...patient, token: patientToken }, { doctorId: doctor.id, startsAt: slot(3), durationMinutes: 30 });
  expect(booked.errors).toBeUndefined();
  const appointmentId = booked.data!.bookAppointment.id;
  const event = await added.next({ timeoutMs: 10_000 });
  expect(event.errors).toBeUndefined();
  expect(event.data!.practicePatientAdded).toMatchObject({
    doctorId: doctor.id,
    patient: { id: patient.id },
    appointment: { id: appointmentId, status: 'BOOKED' },
  });

  // The doctor records and reads the patient's vitals (both audited).
  const recorded = await server.gql(RECORD_VITALS, { patientId: patient.id, input: { heartRate: 64 } }, doctor.token);
  expect(recorded.errors).toBeUndefined();
  const read = await server.gql(PATIENT_VITALS, { patientId: patient.id }, doctor.token);
  expect(read.errors).toBeUndefined();

  const cancelled = await server.gql<{ cancelAppointment: { status: string } }>(CANCEL, { id: appointmentId }, patientToken);
  expect(cancelled.errors).toBeUndefined();
  expect(cancelled.data!.cancelAppointment.status).toBe('CANCELLED');
  const change = await updated.next({ timeoutMs: 10_000 });
  expect(change.data!.practiceAppointmentUpdated).toMatchObject({
    change: 'CANCELLED',
    appointment: { id: appointmentId, status: 'CANCELLED' },
  });

  // The job worker claims and finishes its jobs through the pooler too: both mails arrive.
  const mailAbout = (subject: RegExp) =>
    smtp.waitFor(
      (mail) => mail.to.includes(patient.email) && subject.test(mail.parsed.subject ?? '') && calendarOf(mail).includes(appointmentId),
      10_000,
    );
  await mailAbout(/is booked/);
  await mailAbout(/cancelled/);

  // Audit rows, appended to their hash chains in the same transactions as the changes, and the chains verify.
  const rows = await server.database.prisma.auditEvent.findMany({ where: { patientId: patient.id }, orderBy: { id: 'asc' } });
  expect(rows.map((row) => row.action)).toEqual(
    expect.arrayContaining(['appointment.book', 'vitals.record', 'vitals.read', 'appointment.cancel']),
  );
  const verified = await verifyAuditChains(server.database, {
    key: TEST_AUDIT_KEY,
    checkpointFile: path.join(tmpdir(), `careline-none-${randomUUID()}.jsonl`),
    retentionSeconds: 10 * 365 * 86400,
    now: new Date(),
  });
  expect(verified.firstBreak).toBeUndefined();
  expect(verified.rowsChecked).toBeGreaterThanOrEqual(4);

  // The server's client connections outnumber the server connections PgBouncer gave them.
  await Promise.all(Array.from({ length: 6 }, () => server.database.ping()));
  const ofThisDatabase = (rows: Array<Record<string, unknown>>) => rows.filter((row) => row['database'] === database.name).length;
  const [clients, servers] = [ofThisDatabase(await bouncer.admin('SHOW CLIENTS')), ofThisDatabase(await bouncer.admin('SHOW SERVERS'))];
  expect(servers).toBeLessThanOrEqual(SERVER_CONNECTIONS);
  expect(clients).toBeGreaterThan(SERVER_CONNECTIONS);
});

describe('named prepared statements behind a transaction pooler that does not track them (the documented limitation)', () => {
  // node-postgres prepares a name once per client connection; the pooler gives both clients the one server connection.
  const STATEMENT: Statement = { name: 'pgbouncer_probe', text: 'SELECT $1::int + 1 AS n' };
  const pools: Pool[] = [];
  const pool = () => {
    const created = new Pool({ connectionString: bouncer.url(SINGLE), max: 1 });
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((each) => each.end()));
  });

  it('fails the second client with "already exists", and CareLine says to set DATABASE_PREPARED_STATEMENTS=false', async () => {
    const [first, second] = [postgresSql(pool(), { preparedStatements: true }), postgresSql(pool(), { preparedStatements: true })];
    expect(await first.query(STATEMENT, [1])).toEqual([{ n: 2 }]);
    const failure = second.query(STATEMENT, [1]);
    await expect(failure).rejects.toThrow(/prepared statement "pgbouncer_probe" already exists/);
    await expect(failure).rejects.toThrow(/set DATABASE_PREPARED_STATEMENTS=false/);
  });

  it('runs the same statement from both clients, in and out of transactions, when unnamed', async () => {
    const [first, second] = [postgresSql(pool(), { preparedStatements: false }), postgresSql(pool(), { preparedStatements: false })];
    for (let round = 0; round < 3; round += 1) {
      expect(await first.query(STATEMENT, [round])).toEqual([{ n: round + 1 }]);
      expect(await second.query(STATEMENT, [round])).toEqual([{ n: round + 1 }]);
      expect(await second.transaction((tx) => tx.query(STATEMENT, [round]), { timeoutMs: 5000 })).toEqual([{ n: round + 1 }]);
    }
  });
});

it('rolls back a transaction that outlives its timeout behind the pooler too: closing the client frees its locks', async () => {
  // PgBouncer closes the server connection of a client that leaves mid-transaction, so PostgreSQL rolls it back.
  const pool = new Pool({ connectionString: bouncer.url(database.name), max: 2 });
  try {
    const sql = postgresSql(pool, { preparedStatements: false });
    const probe = (text: string): Statement => ({ name: 'unused', text });
    await sql.query(probe('CREATE TABLE pgbouncer_probe (id int PRIMARY KEY, n int NOT NULL)'), []);
    await sql.query(probe('INSERT INTO pgbouncer_probe (id, n) VALUES (1, 0)'), []);
    const bump = probe('UPDATE pgbouncer_probe SET n = n + 1 WHERE id = 1 RETURNING n');
    let release: () => void = () => {};
    const stuck = sql.transaction(
      async (tx) => {
        await tx.query(bump, []); // holds the row lock
        await new Promise<void>((resolve) => (release = resolve));
        await tx.query(bump, []);
      },
      { timeoutMs: 300 },
    );
    await expect(stuck).rejects.toThrow(/rolled back after 300 ms/);
    release();
    // A second writer gets the row (it would wait on the lock forever otherwise), and the stuck bump is gone.
    expect(await sql.transaction((tx) => tx.query(bump, []), { timeoutMs: 5000 })).toEqual([{ n: 1 }]);
  } finally {
    await pool.end();
  }
});
