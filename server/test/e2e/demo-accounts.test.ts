// demoAccounts: the sign-in page lists the demo logins only when the server seeded them.
import { startTestServer } from '../helpers/test-server';

// Each case starts an embedded server (PGlite: every migration, and the demo seed): 20-60 s on a
// loaded 2-core machine, more than the default bound.
jest.setTimeout(180_000);

const DEMO_ACCOUNTS = /* GraphQL */ `
  query {
    demoAccounts {
      email
      name
      role
      password
    }
  }
`;
const LOGIN = /* GraphQL */ `
  mutation ($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      user {
        role
        adminOf {
          name
        }
        doctor {
          practice {
            name
          }
        }
        staff {
          admin
          practice {
            name
          }
        }
      }
    }
  }
`;

interface LoginData {
  login: {
    user: {
      role: string;
      adminOf: Array<{ name: string }>;
      doctor: { practice: { name: string } } | null;
      staff: { admin: boolean; practice: { name: string } } | null;
    };
  };
}

interface DemoAccountsData {
  demoAccounts: Array<{ email: string; name: string; role: string; password: string }> | null;
}

// Each test's server is disposed after it by the helper (see helpers/leftovers.ts).
describe('the demo logins on the sign-in page', () => {
  it('lists working doctor, patient and staff logins without a token when SEED_DEMO is on, the staff and doctors in one demo practice', async () => {
    const server = await startTestServer('embedded', { SEED_DEMO: 'true' });

    const result = await server.gql<DemoAccountsData>(DEMO_ACCOUNTS);

    expect(result.errors).toBeUndefined();
    const accounts = result.data!.demoAccounts!;
    expect(new Set(accounts.map((account) => account.role))).toEqual(new Set(['DOCTOR', 'PATIENT', 'STAFF']));
    const practices = new Set<string>();
    const admins: string[] = [];
    for (const account of accounts) {
      const login = await server.gql<LoginData>(LOGIN, { email: account.email, password: account.password });
      const user = login.data!.login.user;
      expect(user.role).toBe(account.role);
      const practice = user.doctor?.practice.name ?? user.staff?.practice.name;
      if (practice) practices.add(practice);
      if (user.adminOf.length > 0) admins.push(account.email);
    }
    expect([...practices]).toEqual(['CareLine Demo Clinic']);
    expect(admins).toEqual(['admin@careline.demo']);
    expect(accounts.filter((account) => account.role === 'STAFF').map((account) => account.email)).toEqual([
      'admin@careline.demo',
      'desk@careline.demo',
    ]);
    expect(accounts.filter((account) => account.role === 'DOCTOR')).toHaveLength(2);
  });

  it('is null when the server seeded no demo data', async () => {
    const server = await startTestServer('embedded', { SEED_DEMO: 'false' });

    const result = await server.gql<DemoAccountsData>(DEMO_ACCOUNTS);

    expect(result.errors).toBeUndefined();
    expect(result.data!.demoAccounts).toBeNull();
  });
});
