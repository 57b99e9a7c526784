import type { TestAccount } from '../../server/test/helpers/accounts';
import type { TestServer } from '../../server/test/helpers/test-server';
import { createEndpoint } from '../../server/test/helpers/webhooks';

/**
 * Subscribes an endpoint of the doctor's practice to appointment.booked. A self-registered doctor
 * (DOCTOR_SELF_REGISTRATION) is the admin of their own one-doctor practice.
 */
export async function subscribeWebhooks(server: TestServer, doctor: TestAccount, url: string): Promise<void> {
  const me = await server.gql<{ me: { adminOf: Array<{ id: string }> } }>('{ me { adminOf { id } } }', {}, doctor.token);
  const practiceId = me.data?.me.adminOf[0]?.id;
  if (!practiceId) throw new Error(`the doctor administers no practice: ${JSON.stringify(me.errors)}`);
  await createEndpoint(server, doctor.token, { practiceId, url, events: ['appointment.booked'] });
}
