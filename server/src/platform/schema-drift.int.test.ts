import { Client } from 'pg';
import { createOwnDatabase, type OwnDatabase, sqlSession } from '../../test/helpers/own-database';
import { createLogger } from './logger';
import { runMigrations } from './migrations';
import { diffDatabaseToSchema } from './schema-diff';

// What Prisma cannot express, so the schema engine neither writes nor compares it: it lives in the
// hand-written SQL of the migration named beside it. A migration that adds or drops one updates
// this list, so nothing leaves the comparison unnoticed.
const HAND_WRITTEN = [
  'extension btree_gist', // 20261125000000_init: uuid equality in the no-overlap gist constraints
  'extension pgcrypto', // 20261204020000_audit_keyed_chains: hmac() for the audit chains
  'check appointments.appointments_ends_after_start', // 20261125000000_init
  'check appointments.appointments_hold_expiry_check', // 20261206100001_appointment_holds_constraints
  'partial index appointments.appointments_hold_expires_at_idx', // 20261206100001_appointment_holds_constraints
  'exclusion appointments.appointments_doctor_no_overlap', // 20261125000000_init, widened in 20261201100001_practices_members and 20261206100001_appointment_holds_constraints
  'exclusion appointments.appointments_patient_no_overlap', // 20261125000000_init, widened in 20261201100001_practices_members and 20261206100001_appointment_holds_constraints
  'partial index events.events_unpublished_idx', // 20261125100000_outbox_dispatch, on the partitioned table in 20261218000000_events_partitioned_by_day
  'check doctor_working_hours.doctor_working_hours_weekday_check', // 20261125200000_clinic
  'check doctor_working_hours.doctor_working_hours_interval_check', // 20261125200000_clinic
  'check invitations.invitations_role_check', // 20261201100001_practices_members, widened in 20261205100000_practice_patient_links
  'function audit_events_append_only', // 20261201200000_accounts_audit
  'trigger audit_events.audit_events_append_only', // 20261201200000_accounts_audit
  'trigger audit_events.audit_events_no_truncate', // 20261201200000_accounts_audit
  'function audit_prune', // 20261204020001_audit_app_role
  'function careline_grant_app_role', // 20261204020001_audit_app_role, replaced in 20261205900000_audit_partitioned_by_month
  'function audit_prepare_partitions', // 20261205900000_audit_partitioned_by_month
  'partitioned audit_events', // 20261205900000_audit_partitioned_by_month: by month of "at"
  'function events_prepare_partitions', // 20261218000000_events_partitioned_by_day
  'function events_prune', // 20261218000000_events_partitioned_by_day
  'function events_drop_detached', // 20261218000000_events_partitioned_by_day
  'partitioned events', // 20261218000000_events_partitioned_by_day: by day of "created_at"
  'check jobs.jobs_status_check', // 20261201300000_jobs_notifications
  'partial index jobs.jobs_due_idx', // 20261201300000_jobs_notifications
  'check webhook_deliveries.webhook_deliveries_status_check', // 20261201300001_webhooks
];

// The kinds of object above, as the catalog lists them (an exclusion constraint's own index is
// part of the constraint; an extension's functions belong to the extension; a partition's copy of
// its table's partial index is the table's).
const HAND_WRITTEN_IN_CATALOG = `
  SELECT 'extension ' || extname AS object FROM pg_extension WHERE extname <> 'plpgsql'
  UNION ALL
  SELECT CASE contype WHEN 'c' THEN 'check ' ELSE 'exclusion ' END || conrelid::regclass || '.' || conname
  FROM pg_constraint WHERE contype IN ('c', 'x') AND connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'partial index ' || i.indrelid::regclass || '.' || i.indexrelid::regclass
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indpred IS NOT NULL AND c.relnamespace = 'public'::regnamespace AND NOT c.relispartition
    AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)
  UNION ALL
  SELECT 'trigger ' || tgrelid::regclass || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal AND tgparentid = 0
  UNION ALL
  SELECT 'partitioned ' || partrelid::regclass FROM pg_partitioned_table
  UNION ALL
  SELECT 'function ' || p.proname FROM pg_proc p
  WHERE p.pronamespace = 'public'::regnamespace
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`;

describe('prisma/schema.prisma and prisma/migrations', () => {
  let database: OwnDatabase;
  let client: Client;
  beforeAll(async () => {
    database = await createOwnDatabase('careline_drift');
    client = new Client({ connectionString: database.url });
    await client.connect();
    await runMigrations(sqlSession(client), createLogger({ logLevel: 'silent' }));
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('agree: Prisma would change nothing in a database built by the migrations', async () => {
    const sql = await diffDatabaseToSchema(database.url);
    if (sql !== '') {
      throw new Error(
        'prisma/schema.prisma and prisma/migrations disagree. Prisma would run this on a freshly migrated database ' +
          `to reach the schema:\n\n${sql}\nAdd a migration (npm run db:diff drafts it) or correct schema.prisma.`,
      );
    }
  });

  it('differ only by the hand-written objects listed here, which Prisma cannot express', async () => {
    const { rows } = await client.query<{ object: string }>(HAND_WRITTEN_IN_CATALOG);
    expect(rows.map((row) => row.object).sort()).toEqual([...HAND_WRITTEN].sort());
  });
});
