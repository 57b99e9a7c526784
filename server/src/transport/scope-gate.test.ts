import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import { internalViewer } from '../accounts/viewer';
import { buildAppSchema } from '../graphql-schema';
import { FIELD_SCOPES, scopeGateRefusal, USER_ONLY_FIELDS } from './scope-gate';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

const appViewer = (...scopes: string[]): Viewer => ({
  ...internalViewer('00000000-0000-0000-0000-000000000001', 'PATIENT'),
  app: { id: 'app', name: 'Test App', scopes: new Set(scopes) },
});
const codeOf = (query: string, viewer: Viewer) => scopeGateRefusal(viewer, schema, parse(query))?.extensions['code'];

describe('the scope gate of app tokens', () => {
  it('lets a field through when the app holds one of its scopes', () => {
    expect(codeOf('{ me { id } }', appViewer('openid'))).toBeUndefined();
    expect(codeOf('{ me { patient { appointments { id } } } }', appViewer('openid', 'user/Appointment.rs'))).toBeUndefined();
    const hold = 'mutation { holdSlot(input: { doctorId: "d", startsAt: "2030-01-01T10:00:00Z" }) { id } }';
    expect(codeOf(hold, appViewer('patient/Appointment.cu'))).toBeUndefined();
    expect(codeOf(hold, appViewer('patient/Appointment.rs'))).toBe('FORBIDDEN');
  });

  it('refuses a nested field of another kind of data without its scope, through fragments too', () => {
    expect(codeOf('{ me { patient { latestVitals { id } } } }', appViewer('openid'))).toBe('FORBIDDEN');
    expect(codeOf('query { ...F } fragment F on Query { me { patient { appointments { id } } } }', appViewer('openid'))).toBe('FORBIDDEN');
  });

  it('refuses every root field without a mapped scope, whatever the app holds', () => {
    const all = appViewer('openid', 'fhirUser', 'offline_access', 'patient/Appointment.cu', 'user/Patient.rs');
    expect(codeOf('{ mySessions { id } }', all)).toBe('FORBIDDEN');
    expect(codeOf('mutation { logoutEverywhere }', all)).toBe('FORBIDDEN');
    expect(codeOf('{ myAuthorizedApps { appId } }', all)).toBe('FORBIDDEN');
  });

  it('has a decision for every root field of the emitted schema, and none for a field that is gone', () => {
    const emitted = buildSchema(readFileSync(join(__dirname, '../../../schema.graphql'), 'utf8'));
    const roots = { Query: emitted.getQueryType(), Mutation: emitted.getMutationType(), Subscription: emitted.getSubscriptionType() };
    const rootFields = Object.entries(roots).flatMap(([type, root]) =>
      Object.keys(root?.getFields() ?? {}).map((field) => `${type}.${field}`),
    );
    expect(rootFields.length).toBeGreaterThan(50);
    const undecided = rootFields.filter((key) => FIELD_SCOPES[key] === undefined && !USER_ONLY_FIELDS.has(key));
    expect(undecided).toEqual([]);
    const twice = rootFields.filter((key) => FIELD_SCOPES[key] !== undefined && USER_ONLY_FIELDS.has(key));
    expect(twice).toEqual([]);
    const stale = [...Object.keys(FIELD_SCOPES), ...USER_ONLY_FIELDS].filter((key) => {
      const [type, field] = key.split('.');
      const fields = emitted.getType(type!);
      return !fields || !('getFields' in fields) || !(field! in fields.getFields());
    });
    expect(stale).toEqual([]);
  });

  it('refuses every user-only root field to an app holding every scope', () => {
    const all = appViewer(
      'openid',
      'fhirUser',
      'offline_access',
      'patient/Appointment.rs',
      'patient/Appointment.cu',
      'patient/Observation.rs',
      'patient/Slot.rs',
      'user/Appointment.rs',
      'user/Patient.rs',
      'launch/patient',
    );
    for (const key of USER_ONLY_FIELDS) {
      const [type, field] = key.split('.');
      const root = type === 'Query' ? 'query' : type === 'Mutation' ? 'mutation' : 'subscription';
      const refusal = scopeGateRefusal(all, schema, parse(`${root} { ${field!} }`));
      expect([key, refusal?.extensions['code']]).toEqual([key, 'FORBIDDEN']);
    }
  });

  it("limits patient/ scopes of the patient's compartment to a patient's own account", () => {
    const doctorApp: Viewer = {
      ...internalViewer('00000000-0000-0000-0000-000000000002', 'DOCTOR'),
      app: { id: 'app', name: 'Test App', scopes: new Set(['patient/Observation.rs', 'patient/Slot.rs', 'user/Appointment.rs']) },
    };
    expect(codeOf('{ patientVitals(patientId: "00000000-0000-0000-0000-000000000003") { id } }', doctorApp)).toBe('FORBIDDEN');
    expect(codeOf('{ doctors { id } }', doctorApp)).toBeUndefined();
    expect(
      codeOf('{ patientVitals(patientId: "00000000-0000-0000-0000-000000000003") { id } }', appViewer('patient/Observation.rs')),
    ).toBeUndefined();
  });

  it('leaves dashboard tokens alone', () => {
    expect(codeOf('{ mySessions { id } }', internalViewer('00000000-0000-0000-0000-000000000001', 'PATIENT'))).toBeUndefined();
  });
});
