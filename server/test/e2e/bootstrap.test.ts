// BOOTSTRAP_*: the first practice and its STAFF admin come from the environment at startup, once.
import { TEST_PASSWORD } from '../helpers/accounts';
import { startTestServer } from '../helpers/test-server';

it('creates the practice and its STAFF admin once, and nothing when the email exists', async () => {
  const email = `bootstrap-${Date.now()}@test.careline`;
  const env = {
    BOOTSTRAP_PRACTICE_NAME: 'Harbour Clinic',
    BOOTSTRAP_ADMIN_EMAIL: email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_PASSWORD,
    BOOTSTRAP_PRACTICE_TIME_ZONE: 'Europe/Dublin',
  };
  const first = await startTestServer('services', env);
  try {
    const login = await first.gql<{
      login: {
        user: { role: string; staff: { admin: boolean; practice: { name: string; timeZone: string } }; adminOf: Array<{ name: string }> };
      };
    }>(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { user { role staff { admin practice { name timeZone } } adminOf { name } } } }',
      { e: email, p: TEST_PASSWORD },
    );
    expect(login.data?.login.user).toEqual({
      role: 'STAFF',
      staff: { admin: true, practice: { name: 'Harbour Clinic', timeZone: 'Europe/Dublin' } },
      adminOf: [{ name: 'Harbour Clinic' }],
    });
  } finally {
    await first.dispose();
  }
  const again = await startTestServer('services', { ...env, BOOTSTRAP_ADMIN_PASSWORD: 'another password entirely' });
  try {
    expect(await again.database.prisma.practice.count({ where: { name: 'Harbour Clinic', staff: { some: { user: { email } } } } })).toBe(1);
    const oldPassword = await again.gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: email,
      p: TEST_PASSWORD,
    });
    expect(oldPassword.errors).toBeUndefined();
  } finally {
    await again.dispose();
  }
});
