// The practices migration on a database holding data of the previous schema: apply the migrations
// up to the clinic one with our runner, insert doctors, patients and appointments as that schema
// had them, apply the rest, and check what each existing row became.
import { Client } from 'pg';
import { createOwnDatabase, sqlSession, type OwnDatabase } from '../../../test/helpers/own-database';
import { createLogger } from '../../platform/logger';
import { loadMigrations, runMigrations, type SqlSession } from '../../platform/migrations';

const logger = createLogger({ logLevel: 'silent' });
const PREVIOUS = '20261125200000_clinic';

describe('the practices migration on existing data', () => {
  let database: OwnDatabase;
  let client: Client;
  let session: SqlSession;

  beforeAll(async () => {
    database = await createOwnDatabase('careline_migration');
    client = new Client({ connectionString: database.url });
    await client.connect();
    session = sqlSession(client);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('gives each existing doctor a one-doctor practice they administer, and keeps every booking holding its slot', async () => {
    const all = await loadMigrations();
    const previous = all.slice(0, all.findIndex((migration) => migration.name === PREVIOUS) + 1);
    expect(previous.at(-1)?.name).toBe(PREVIOUS);
    await runMigrations(session, logger, previous);

    const soon = Date.now() + 86_400_000;
    const at = (minutes: number) => new Date(soon + minutes * 60_000).toISOString();
    await client.query(`
      INSERT INTO users (id, email, password_hash, role, name) VALUES
        ('00000000-0000-4000-8000-000000000001', 'house@old.test', 'x', 'DOCTOR', 'Dr. House'),
        ('00000000-0000-4000-8000-000000000002', 'grey@old.test', 'x', 'DOCTOR', 'Dr. Grey'),
        ('00000000-0000-4000-8000-000000000003', 'pat@old.test', 'x', 'PATIENT', 'Pat');
      INSERT INTO doctors (id, specialty, time_zone) VALUES
        ('00000000-0000-4000-8000-000000000001', 'Diagnostics', 'America/New_York'),
        ('00000000-0000-4000-8000-000000000002', 'Surgery', 'Europe/Paris');
      INSERT INTO patients (id) VALUES ('00000000-0000-4000-8000-000000000003');`);
    await client.query(
      `INSERT INTO appointments (id, doctor_id, patient_id, starts_at, ends_at, status) VALUES
        ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', $1, $2, 'BOOKED'),
        ('00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', $3, $4, 'CANCELLED')`,
      [at(0), at(30), at(60), at(90)],
    );
    await client.query(`INSERT INTO doctor_patients (doctor_id, patient_id) VALUES
      ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003'),
      ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003')`);

    expect(await runMigrations(session, logger, all)).toEqual(all.slice(previous.length).map((migration) => migration.name));

    const practices = await client.query(`
      SELECT u.email, p.name, p.time_zone, d.admin, (SELECT count(*)::int FROM doctors o WHERE o.practice_id = p.id) AS doctors
      FROM doctors d JOIN users u ON u.id = d.id JOIN practices p ON p.id = d.practice_id ORDER BY u.email`);
    expect(practices.rows).toEqual([
      { email: 'grey@old.test', name: 'Dr. Grey', time_zone: 'Europe/Paris', admin: true, doctors: 1 },
      { email: 'house@old.test', name: 'Dr. House', time_zone: 'America/New_York', admin: true, doctors: 1 },
    ]);
    const appointments = await client.query('SELECT id, status, created_by_id, cancelled_by_id FROM appointments ORDER BY id');
    expect(appointments.rows).toEqual([
      {
        id: '00000000-0000-4000-8000-00000000000a',
        status: 'BOOKED',
        created_by_id: '00000000-0000-4000-8000-000000000003',
        cancelled_by_id: null,
      },
      {
        id: '00000000-0000-4000-8000-00000000000b',
        status: 'CANCELLED',
        created_by_id: '00000000-0000-4000-8000-000000000003',
        cancelled_by_id: null,
      },
    ]);
    const onPracticeLists = await client.query('SELECT count(*)::int AS count FROM practice_patients');
    expect(onPracticeLists.rows[0].count).toBe(2);

    // The migrated BOOKED appointment still holds its slot, and so does one that is checked in.
    const overlap = client.query(
      `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', $1, $2)`,
      [at(10), at(40)],
    );
    await expect(overlap).rejects.toMatchObject({ code: '23P01' });
    await client.query(`UPDATE appointments SET status = 'CHECKED_IN' WHERE id = '00000000-0000-4000-8000-00000000000a'`);
    await expect(
      client.query(
        `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', $1, $2)`,
        [at(10), at(40)],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
    // A no-show frees it.
    await client.query(`UPDATE appointments SET status = 'NO_SHOW' WHERE id = '00000000-0000-4000-8000-00000000000a'`);
    await client.query(
      `INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', $1, $2)`,
      [at(10), at(40)],
    );
  });
});
