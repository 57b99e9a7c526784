// npm run check: every table is named by one module only (its owner), and the database is reached
// one way. Reads the code, not the running database:
// - every table of prisma/schema.prisma has exactly one owner below (a folder of server/src);
// - a table's name in SQL text (after FROM, JOIN, INTO, UPDATE, TABLE or USING, in any string or
//   template literal) and its Prisma model (`prisma.appointment.findMany`) appear only in files of
//   its owner; another module composes the owner's exported SQL fragments or calls its functions;
// - Prisma only reads (no create/update/upsert/delete), and neither $queryRaw, $executeRaw nor
//   $transaction is called: raw SQL is a Statement (platform/sql.ts) and every write runs in
//   Transactions.run (live/transactions.ts);
// - no two statements share a name (PostgreSQL prepares a named statement once per connection:
//   a second text under the same name would be refused).
// Tests are left out: a test may seed and inspect any table.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The owner of each table: the folder of server/src whose files alone name it. */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  users: 'accounts',
  sessions: 'accounts',
  mfa_credentials: 'accounts',
  mfa_recovery_codes: 'accounts',
  practices: 'features/practices',
  staff_members: 'features/practices',
  invitations: 'features/practices',
  practice_patients: 'features/practices',
  doctors: 'features/doctors',
  patients: 'features/patients',
  doctor_patients: 'features/patients',
  appointments: 'features/appointments',
  doctor_working_hours: 'features/availability',
  doctor_days_off: 'features/availability',
  vitals: 'features/vitals',
  medical_records: 'features/records',
  appointment_calendar_sequences: 'features/notifications',
  notification_preferences: 'features/notifications',
  notification_settings: 'features/notifications',
  sms_messages: 'features/notifications',
  sms_opt_outs: 'features/notifications',
  webhook_endpoints: 'features/webhooks',
  webhook_deliveries: 'features/webhooks',
  push_subscriptions: 'features/push',
  apps: 'features/apps',
  app_authorizations: 'features/apps',
  oauth_records: 'features/apps',
  oauth_signing_keys: 'features/apps',
  event_streams: 'live',
  events: 'live',
  jobs: 'jobs',
  audit_events: 'audit',
  audit_chain_heads: 'audit',
  fhir_subscriptions: 'fhir',
};

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'server', 'src');
const SCHEMA = path.join(ROOT, 'prisma', 'schema.prisma');

const READ_METHODS = new Set([
  'findMany',
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'count',
  'aggregate',
  'groupBy',
]);
const WRITE_METHODS = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
]);
const RAW_METHODS = new Set(['$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', '$transaction', '$queryRawTyped']);
const TABLE_AFTER_KEYWORD = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\s+"?([a-z_][a-z0-9_]*)"?/g;

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The schema's models: Prisma delegate name (appointment) -> table (appointments). */
export function modelsOf(schema: string): Map<string, string> {
  const models = new Map<string, string>();
  for (const match of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, model = '', body = ''] = match;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    models.set(model.charAt(0).toLowerCase() + model.slice(1), table);
  }
  return models;
}

/** What one source file names: tables in SQL text, Prisma models and methods. */
export function checkSource(
  file: string,
  text: string,
  models: ReadonlyMap<string, string>,
  owners: Readonly<Record<string, string>>,
): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const folder = path.relative(SRC, file).split(path.sep).join('/');
  const owns = (table: string) => {
    const owner = owners[table];
    return owner !== undefined && folder.startsWith(`${owner}/`);
  };
  const findings: Finding[] = [];
  const report = (node: ts.Node, message: string) =>
    findings.push({ file: path.relative(ROOT, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, message });
  const tables = new Set(Object.keys(owners));

  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const match of node.text.matchAll(TABLE_AFTER_KEYWORD)) {
        const table = match[1] ?? '';
        if (tables.has(table) && !owns(table))
          report(node, `names table ${table}, owned by server/src/${owners[table]}/: call or compose that module's exports`);
      }
    }
    if (ts.isPropertyAccessExpression(node)) {
      const method = node.name.text;
      if (RAW_METHODS.has(method))
        report(
          node,
          `${method}: raw SQL is a Statement (platform/sql.ts), and every write runs in Transactions.run (live/transactions.ts)`,
        );
      const receiver = node.expression;
      if (
        ts.isPropertyAccessExpression(receiver) &&
        models.has(receiver.name.text) &&
        (READ_METHODS.has(method) || WRITE_METHODS.has(method))
      ) {
        const model = receiver.name.text;
        const table = models.get(model) ?? model;
        if (WRITE_METHODS.has(method)) report(node, `${model}.${method}: Prisma only reads; a write is a Statement in Transactions.run`);
        else if (!owns(table))
          report(node, `reads ${model} (table ${table}), owned by server/src/${owners[table]}/: call that module's exports`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** The names of the statements a source file declares: `{ name: 'x', text: ... }` (or `condition`, enqueueWhereStatement). */
export function statementNames(file: string, text: string): Array<{ readonly name: string; readonly line: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const names: Array<{ name: string; line: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const properties = new Map<string, ts.Expression>();
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) properties.set(property.name.text, property.initializer);
      }
      const name = properties.get('name');
      if (name && ts.isStringLiteral(name) && (properties.has('text') || properties.has('condition'))) {
        names.push({ name: name.text, line: source.getLineAndCharacterOfPosition(name.getStart()).line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every finding in server/src, and every table without an owner (or owner without a table). */
export function checkTableOwners(): Finding[] {
  const models = modelsOf(readFileSync(SCHEMA, 'utf8'));
  const schemaTables = new Set(models.values());
  const findings: Finding[] = [];
  for (const table of schemaTables) {
    if (!(table in TABLE_OWNERS))
      findings.push({ file: 'prisma/schema.prisma', line: 0, message: `table ${table} has no owner in TABLE_OWNERS` });
  }
  for (const table of Object.keys(TABLE_OWNERS)) {
    if (!schemaTables.has(table))
      findings.push({
        file: path.relative(ROOT, __filename),
        line: 0,
        message: `TABLE_OWNERS names ${table}, which the schema does not have`,
      });
  }
  const declared = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    if (file === __filename) continue;
    const text = readFileSync(file, 'utf8');
    findings.push(...checkSource(file, text, models, TABLE_OWNERS));
    for (const { name, line } of statementNames(file, text)) {
      const at = `${path.relative(ROOT, file)}:${line}`;
      const first = declared.get(name);
      if (first) findings.push({ file: path.relative(ROOT, file), line, message: `statement name ${name} is taken already (${first})` });
      else declared.set(name, at);
    }
  }
  return findings;
}

if (require.main === module) {
  const findings = checkTableOwners();
  for (const finding of findings) console.error(`${finding.file}:${finding.line}: ${finding.message}`);
  if (findings.length > 0) {
    console.error(`\n${findings.length} problem(s): see the rules at the top of server/src/scripts/check-table-owners.ts.`);
    process.exit(1);
  }
  console.log(`table owners: ${Object.keys(TABLE_OWNERS).length} tables, each named by its owner only`);
}
