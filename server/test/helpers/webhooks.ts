import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { TestServer } from './test-server';
import { createPractice } from './practices';

/** A practice for an endpoint written straight to the database (the delivery engine's tests). */
export async function testPracticeId(server: TestServer): Promise<string> {
  return (await createPractice(server)).id;
}

export const CREATE_WEBHOOK_ENDPOINT = /* GraphQL */ `
  mutation ($input: WebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      id
      url
      events
      createdAt
      secret
      disabledAt
    }
  }
`;
export const WEBHOOK_DELIVERIES = /* GraphQL */ `
  query ($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId) {
      id
      eventId
      eventType
      attempts
      status
      lastStatusCode
      nextAttemptAt
    }
  }
`;
export const REDELIVER_WEBHOOK = /* GraphQL */ `
  mutation ($id: ID!) {
    redeliverWebhook(deliveryId: $id) {
      id
      eventId
      status
      attempts
    }
  }
`;
export const ROTATE_WEBHOOK_SECRET = /* GraphQL */ `
  mutation ($id: ID!) {
    rotateWebhookSecret(id: $id) {
      id
      secret
    }
  }
`;
export const DELETE_WEBHOOK_ENDPOINT = /* GraphQL */ `
  mutation ($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`;
export const WEBHOOK_ENDPOINTS = /* GraphQL */ `
  query ($practiceId: ID!) {
    webhookEndpoints(practiceId: $practiceId) {
      id
      url
      secret
    }
  }
`;

/** Creates an endpoint through the API as the practice's admin; returns its id and secret, or throws. */
export async function createEndpoint(
  server: Pick<TestServer, 'gql'>,
  token: string,
  input: { practiceId: string; url: string; events: string[]; includeReason?: boolean },
): Promise<{ id: string; secret: string }> {
  const result = await server.gql<{ createWebhookEndpoint: { id: string; secret: string | null } }>(
    CREATE_WEBHOOK_ENDPOINT,
    { input },
    token,
  );
  const created = result.data?.createWebhookEndpoint;
  if (!created?.secret) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(result.errors)}`);
  return { id: created.id, secret: created.secret };
}

export type Verify = (secret: string, rawBody: string, header: string, toleranceSeconds?: number) => boolean;

/** The snippet between the webhook-verify markers of docs/api.md, run as a receiver would run it. */
export function readmeVerifier(): Verify {
  const readme = readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'api.md'), 'utf8');
  const block = /<!-- webhook-verify:start -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-verify:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('docs/api.md has no webhook-verify snippet');
  const verify: unknown = vm.runInNewContext(`${block}\nverifyCareLineSignature`, { require, Buffer });
  if (typeof verify !== 'function') throw new Error('the snippet defines no verifyCareLineSignature');
  return (secret, rawBody, header, tolerance) => Boolean(verify(secret, rawBody, header, tolerance));
}
