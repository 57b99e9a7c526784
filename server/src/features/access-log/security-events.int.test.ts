// Security events: rows of the audit trail (chained, with the client's address and user agent)
// that a practice's admins list with practiceSecurityEvents, newest first, paged by event id.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerDoctor } from '../../../test/helpers/accounts';
import { createPractice, joinPractice } from '../../../test/helpers/practices';
import { startTestServer, TEST_AUDIT_KEY, type TestServer } from '../../../test/helpers/test-server';
import { verifyAuditChains } from '../../audit/audit-verify';
import { SecurityAction, SecurityOutcome, type SecurityEvent } from '../../audit/security-events';
import { Role } from '../../generated/prisma/enums';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services');
});

const EVENTS = `query ($p: ID!, $first: Int, $after: ID) {
  practiceSecurityEvents(practiceId: $p, first: $first, after: $after) { id at action outcome actorName clientAddress userAgent } }`;
type Listed = {
  id: string;
  at: string;
  action: string;
  outcome: string;
  actorName: string | null;
  clientAddress: string | null;
  userAgent: string | null;
};

function event(practiceId: string, actorUserId: string | null, overrides: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    action: SecurityAction.SignIn,
    outcome: SecurityOutcome.Success,
    actorUserId,
    actorRole: Role.STAFF,
    practiceId,
    request: { id: randomUUID(), clientAddress: '2001:db8::7', userAgent: 'Mozilla/5.0 (test)' },
    ...overrides,
  };
}

it("lists the practice's security events to its admin, newest first, with actor, address and user agent, paged by id", async () => {
  const practice = await createPractice(server);
  const other = await createPractice(server);
  const { audit, transactions } = server.services;
  // The admin's own sign-in when the practice was made is an event already: only what follows counts here.
  const earlier = await server.gql<{ practiceSecurityEvents: Listed[] }>(EVENTS, { p: practice.id }, practice.admin.token);
  const before = new Set(earlier.data!.practiceSecurityEvents.map((e) => e.id));
  await audit.recordSecurityEvent(event(practice.id, practice.admin.id));
  await audit.recordSecurityEvent(event(practice.id, null, { outcome: SecurityOutcome.Failure, actorRole: 'ANONYMOUS' }));
  await transactions.run((tx) =>
    audit.writeSecurityEvent(
      tx,
      event(practice.id, practice.admin.id, {
        action: SecurityAction.PasswordChanged,
        request: { id: randomUUID(), clientAddress: undefined, userAgent: 'x'.repeat(2000) },
      }),
    ),
  );
  await audit.recordSecurityEvent(event(other.id, other.admin.id, { action: SecurityAction.MfaEnabled }));

  const all = await server.gql<{ practiceSecurityEvents: Listed[] }>(EVENTS, { p: practice.id }, practice.admin.token);
  expect(all.errors).toBeUndefined();
  const events = all.data!.practiceSecurityEvents.filter((e) => !before.has(e.id));
  expect(events.map((e) => [e.action, e.outcome, e.actorName])).toEqual([
    ['security.passwordChanged', 'SUCCESS', practice.admin.name],
    ['security.signIn', 'FAILURE', null],
    ['security.signIn', 'SUCCESS', practice.admin.name],
  ]);
  expect(events[2]).toMatchObject({ clientAddress: '2001:db8::7', userAgent: 'Mozilla/5.0 (test)' });
  expect(events[0]!.clientAddress).toBeNull();
  expect(events[0]!.userAgent).toHaveLength(512);

  const page = await server.gql<{ practiceSecurityEvents: Listed[] }>(
    EVENTS,
    { p: practice.id, first: 1, after: events[0]!.id },
    practice.admin.token,
  );
  expect(page.data!.practiceSecurityEvents.map((e) => e.id)).toEqual([events[1]!.id]);

  // The user agent is covered by the chain like every other column.
  const verified = await verifyAuditChains(server.database, {
    key: TEST_AUDIT_KEY,
    checkpointFile: join(tmpdir(), `no-checkpoints-${randomUUID()}.jsonl`),
    retentionSeconds: 6 * 365 * 86_400,
    now: new Date(),
  });
  expect(verified.firstBreak).toBeUndefined();
});

it('refuses everyone but an admin of that practice, and pages beyond 200 or bad cursors with BAD_USER_INPUT', async () => {
  const practice = await createPractice(server);
  const [staff, doctor] = [await joinPractice(server, practice, 'STAFF'), await registerDoctor(server)];
  const code = async (variables: Record<string, unknown>, token: string | undefined) =>
    (await server.gql(EVENTS, { p: practice.id, ...variables }, token)).errors?.[0]?.extensions?.['code'];
  expect(await code({}, staff.token)).toBe('FORBIDDEN');
  expect(await code({}, doctor.token)).toBe('FORBIDDEN');
  expect(await code({}, undefined)).toBe('UNAUTHENTICATED');
  expect(await code({ first: 201 }, practice.admin.token)).toBe('BAD_USER_INPUT');
  expect(await code({ first: 0 }, practice.admin.token)).toBe('BAD_USER_INPUT');
  expect(await code({ after: 'abc' }, practice.admin.token)).toBe('BAD_USER_INPUT');
  expect(await code({ first: 200 }, practice.admin.token)).toBeUndefined();
});

it("keeps security events out of practiceAuditEvents (patients' data only)", async () => {
  const practice = await createPractice(server);
  await server.services.audit.recordSecurityEvent(event(practice.id, practice.admin.id));
  const listed = await server.gql<{ practiceAuditEvents: Array<{ action: string }> }>(
    'query ($p: ID!) { practiceAuditEvents(practiceId: $p) { action } }',
    { p: practice.id },
    practice.admin.token,
  );
  expect(listed.errors).toBeUndefined();
  expect(listed.data!.practiceAuditEvents.map((e) => e.action).filter((action) => action.startsWith('security.'))).toEqual([]);
});
