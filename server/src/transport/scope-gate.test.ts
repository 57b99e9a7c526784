import 'reflect-metadata';
import { parse, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../accounts/authorization';
import { internalViewer } from '../accounts/viewer';
import { buildAppSchema } from '../graphql-schema';
import { scopeGateRefusal } from './scope-gate';

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

  it('leaves dashboard tokens alone', () => {
    expect(codeOf('{ mySessions { id } }', internalViewer('00000000-0000-0000-0000-000000000001', 'PATIENT'))).toBeUndefined();
  });
});
