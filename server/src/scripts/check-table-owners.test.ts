import { checkSource, modelsOf, statementNames } from './check-table-owners';

const SCHEMA = `
model Appointment {
  id String @id
  @@map("appointments")
}

model Job {
  id BigInt @id
  @@map("jobs")
}
`;
const OWNERS = { appointments: 'features/appointments', jobs: 'jobs' };
const models = modelsOf(SCHEMA);
const file = (relative: string) => `${__dirname}/../${relative}`;
const check = (relative: string, text: string) => checkSource(file(relative), text, models, OWNERS).map((finding) => finding.message);

describe('the table-owner check', () => {
  it('reads the tables and Prisma models of the schema', () => {
    expect([...models]).toEqual([
      ['appointment', 'appointments'],
      ['job', 'jobs'],
    ]);
  });

  it("accepts a table's owner naming it in SQL and reading it through Prisma", () => {
    const text = "const S = { name: 'x', text: `SELECT id FROM appointments WHERE id = $1` };\nawait prisma.appointment.findMany({});";
    expect(check('features/appointments/appointments.sql.ts', text)).toEqual([]);
  });

  it('refuses another module naming the table in SQL, wherever the keyword puts it', () => {
    for (const sql of [
      'SELECT 1 FROM jobs',
      'INSERT INTO jobs (kind) VALUES ($1)',
      'UPDATE jobs SET kind = $1',
      'DELETE FROM x USING jobs j',
      'LEFT JOIN jobs j ON true',
    ]) {
      expect(check('features/webhooks/webhooks.enqueue.ts', `const text = '${sql}';`)).toEqual([
        "names table jobs, owned by server/src/jobs/: call or compose that module's exports",
      ]);
    }
  });

  it('finds a table in the text parts of a template literal around a composed fragment', () => {
    expect(check('features/notifications/x.ts', 'const text = `SELECT ${columns} FROM appointments a JOIN ${other}`;')).toHaveLength(1);
  });

  it('does not take a word that is no table, or a table name outside SQL position, for a use', () => {
    expect(check('features/webhooks/x.ts', "const a = 'jobs are retried'; const b = `FROM chain c`;")).toEqual([]);
  });

  it("refuses another module's Prisma read, any Prisma write, and raw or transactional Prisma calls", () => {
    const text = [
      'prisma.job.findMany({});',
      'prisma.appointment.create({ data });',
      'prisma.$queryRaw`SELECT 1`;',
      'prisma.$transaction(async () => {});',
    ].join('\n');
    expect(check('features/appointments/appointments.service.ts', text)).toEqual([
      "reads job (table jobs), owned by server/src/jobs/: call that module's exports",
      'appointment.create: Prisma only reads; a write is a Statement in Transactions.run',
      '$queryRaw: raw SQL is a Statement (platform/sql.ts), and every write runs in Transactions.run (live/transactions.ts)',
      '$transaction: raw SQL is a Statement (platform/sql.ts), and every write runs in Transactions.run (live/transactions.ts)',
    ]);
  });
});

describe('statement names', () => {
  it('finds the statements a file declares, and only them', () => {
    const text = [
      "const A: Statement = { name: 'jobs_claim', text: 'SELECT 1' };",
      "const B = enqueueWhereStatement({ name: 'webhooks_enqueue_fanout', kind: 'k', columns: [], condition: 'true' });",
      "const C = { name: 'not a statement' };",
    ].join('\n');
    expect(statementNames('x.ts', text)).toEqual([
      { name: 'jobs_claim', line: 1 },
      { name: 'webhooks_enqueue_fanout', line: 2 },
    ]);
  });
});
