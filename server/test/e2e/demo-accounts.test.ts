// demoAccounts: the sign-in page lists the demo logins only when the server seeded them.
import { startTestServer } from '../helpers/test-server';

const DEMO_ACCOUNTS = /* GraphQL */ `query { demoAccounts { email name role password } }`;
const LOGIN = /* GraphQL */ `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { user { role } } }`;

interface DemoAccountsData {
  demoAccounts: Array<{ email: string; name: string; role: string; password: string }> | null;
}

// Each test's server is disposed after it by the helper (see helpers/leftovers.ts).
describe('the demo logins on the sign-in page', () => {
  it('lists working doctor and patient logins without a token when SEED_DEMO is on', async () => {
    const server = await startTestServer('embedded', { SEED_DEMO: 'true' });

    const result = await server.gql<DemoAccountsData>(DEMO_ACCOUNTS);

    expect(result.errors).toBeUndefined();
    const accounts = result.data!.demoAccounts!;
    expect(new Set(accounts.map((account) => account.role))).toEqual(new Set(['DOCTOR', 'PATIENT']));
    for (const role of ['DOCTOR', 'PATIENT']) {
      const account = accounts.find((candidate) => candidate.role === role)!;
      const login = await server.gql<{ login: { user: { role: string } } }>(LOGIN, { email: account.email, password: account.password });
      expect(login.data?.login.user.role).toBe(role);
    }
  });

  it('is null when the server seeded no demo data', async () => {
    const server = await startTestServer('embedded', { SEED_DEMO: 'false' });

    const result = await server.gql<DemoAccountsData>(DEMO_ACCOUNTS);

    expect(result.errors).toBeUndefined();
    expect(result.data!.demoAccounts).toBeNull();
  });
});
