// The practice side of the audit trail, ready for practices (issue 14): rows carry the actor's
// practice from AuditTrail's lookup, and practiceEvents filters them by patient and time range.
import { randomUUID } from 'node:crypto';
import { registerDoctor, registerPatient } from '../../../test/helpers/accounts';
import { startTestServer, TEST_AUDIT_KEY, type TestServer } from '../../../test/helpers/test-server';
import { internalViewer } from '../../accounts/viewer';
import { AuditAction } from '../../audit/audit-entry';
import { AuditTrail } from '../../audit/audit-trail';
import { Role } from '../../generated/prisma/enums';
import { AccessLogService } from './access-log.service';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('services');
});
afterAll(async () => {
  await server.dispose();
});

it("records the actor's practice and lists a practice's events by patient and time range, newest first", async () => {
  const practiceId = randomUUID();
  const [doctor, patient, other] = await Promise.all([registerDoctor(server), registerPatient(server), registerPatient(server)]);
  let clock = new Date('2030-01-01T00:00:00.000Z').getTime() + Math.floor(Math.random() * 1e9);
  const audit = new AuditTrail(
    server.database.sql,
    async () => practiceId,
    () => new Date((clock += 60_000)),
    TEST_AUDIT_KEY,
  );
  const viewer = internalViewer(doctor.id, Role.DOCTOR);
  await audit.record(viewer, [{ action: AuditAction.ReadVitals, patientId: patient.id }]);
  await audit.record(viewer, [{ action: AuditAction.ReadMedicalRecords, patientId: patient.id }]);
  await audit.record(viewer, [{ action: AuditAction.ReadVitals, patientId: other.id }]);
  await audit.record(viewer, [{ action: AuditAction.ListPatients, patientId: patient.id }]);

  const log = new AccessLogService(server.database.sql, server.services.practiceMembers);
  const all = await log.practiceEvents(practiceId, { patientId: patient.id, first: 10 });
  expect(all.map((entry) => entry.action)).toEqual([AuditAction.ListPatients, AuditAction.ReadMedicalRecords, AuditAction.ReadVitals]);
  expect(all.every((entry) => entry.practiceId === practiceId && entry.actorName === doctor.name)).toBe(true);

  // The range around the middle row's own time (however often the trail reads the clock per row).
  const middleAt = all[1]!.at.getTime();
  const window = await log.practiceEvents(practiceId, {
    patientId: patient.id,
    from: new Date(middleAt - 1_000),
    to: new Date(middleAt + 1_000),
    first: 10,
  });
  expect(window.map((entry) => entry.action)).toEqual([AuditAction.ReadMedicalRecords]);
  const page = await log.practiceEvents(practiceId, { first: 2 });
  const next = await log.practiceEvents(practiceId, { first: 2, after: page[1]!.cursor });
  expect([...page, ...next].map((entry) => entry.action)).toEqual([
    AuditAction.ListPatients,
    AuditAction.ReadVitals,
    AuditAction.ReadMedicalRecords,
    AuditAction.ReadVitals,
  ]);
});
