// Channels, phone and SMS consent (API.md "Patient messaging"): a user chooses where appointment
// messages reach them; SMS needs a valid phone (stored in E.164) and consent, recorded with its time.
import { registerDoctor, registerPatient, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/test-server';

const UPDATE = /* GraphQL */ `
  mutation ($input: NotificationSettingsInput!) {
    updateNotificationSettings(input: $input) {
      id
      phone
      notificationChannels
      smsConsentAt
    }
  }
`;
const ME = '{ me { phone notificationChannels smsConsentAt } }';

interface Settings {
  readonly phone: string | null;
  readonly notificationChannels: string[];
  readonly smsConsentAt: string | null;
}

let server: TestServer;
let patient: TestAccount;

beforeAll(async () => {
  server = await startTestServer('embedded');
  patient = await registerPatient(server);
});
afterAll(async () => {
  await server?.dispose();
});

const update = (account: TestAccount, input: Record<string, unknown>) =>
  server.gql<{ updateNotificationSettings: Settings }>(UPDATE, { input }, account.token);

describe('notification settings', () => {
  it('starts with EMAIL only and no phone', async () => {
    const result = await server.gql<{ me: Settings }>(ME, {}, patient.token);
    expect(result.data?.me).toEqual({ phone: null, notificationChannels: ['EMAIL'], smsConsentAt: null });
  });

  it('refuses SMS without a phone, without consent, or with an invalid number, naming the field', async () => {
    const noPhone = await update(patient, { channels: ['SMS'], smsConsent: true });
    expect(noPhone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    const noConsent = await update(patient, { phone: '+14155552671', channels: ['SMS'] });
    expect(noConsent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'smsConsent' });
    const invalid = await update(patient, { phone: '415 555', channels: ['EMAIL'] });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    expect((await server.gql<{ me: Settings }>(ME, {}, patient.token)).data?.me.phone).toBeNull();
  });

  it('stores the phone in E.164 with the consent time, and keeps the choice across reads', async () => {
    const result = await update(patient, { phone: '+1 (415) 555-2671', channels: ['SMS', 'PUSH'], smsConsent: true });
    expect(result.errors).toBeUndefined();
    const settings = result.data!.updateNotificationSettings;
    expect(settings).toMatchObject({ phone: '+14155552671', notificationChannels: ['SMS', 'PUSH'] });
    expect(Date.parse(settings.smsConsentAt ?? '')).not.toBeNaN();
    expect(settings).toMatchObject((await server.gql<{ me: Settings }>(ME, {}, patient.token)).data?.me ?? {});
  });

  it('lets any role choose its channels (a doctor keeps PUSH only)', async () => {
    const doctor = await registerDoctor(server);
    const result = await update(doctor, { channels: ['PUSH'] });
    expect(result.data?.updateNotificationSettings).toMatchObject({ phone: null, notificationChannels: ['PUSH'] });
  });

  it('needs a signed-in user', async () => {
    const result = await server.gql(UPDATE, { input: { channels: ['EMAIL'] } });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
