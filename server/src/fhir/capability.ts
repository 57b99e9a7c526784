import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { ResourceHandler } from './resource-handler';

/** Where third-party apps get and give back their tokens (features/apps), as SMART's oauth-uris extension names them. */
export interface OAuthUris {
  readonly authorize: string;
  readonly token: string;
  readonly revoke: string;
  readonly introspect: string;
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

/** The Subscriptions Backport's definitions of the two Subscription operations served. */
const BACKPORT_OPERATIONS = 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition';

/** Subscription (subscriptions.ts): create, read, delete, the websocket binding and `$events`. */
function subscriptionCapability(base: string): CapabilityStatementRestResource {
  const socket = base.replace(/^http/, 'ws').replace(/\/fhir\/R4$/, '/ws/subscriptions-r4');
  return {
    type: 'Subscription',
    documentation:
      `Criteria Appointment?practitioner=Practitioner/<id> (that doctor) or Appointment?patient=Patient/<id> (that patient); ` +
      `channel websocket (${socket}, bind-with-token); payload content id-only (default) or full-resource ` +
      "(backport-payload-content on channel.payload). Event numbers are the positions of the doctor's or patient's event stream.",
    interaction: [{ code: 'create' }, { code: 'read' }, { code: 'delete' }],
    operation: [
      { name: 'get-ws-binding-token', definition: `${BACKPORT_OPERATIONS}/backport-subscription-get-ws-binding-token` },
      { name: 'events', definition: `${BACKPORT_OPERATIONS}/backport-subscription-events` },
    ],
  };
}

/**
 * GET /fhir/R4/metadata: what this server actually implements, built from the same handlers the
 * router serves, so the statement cannot list a search parameter the router refuses; and Subscription.
 */
export function capabilityStatement(
  base: string,
  handlers: readonly ResourceHandler[],
  date: Date,
  oauth?: OAuthUris,
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: date.toISOString(),
    kind: 'instance',
    software: { name: 'CareLine' },
    implementation: { description: 'CareLine FHIR R4 facade over the scheduling services', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            "Bearer tokens of CareLine (the same as /graphql): Authorization: Bearer <accessToken>. metadata needs none. Third-party apps: SMART on FHIR (OAuth 2 authorization code with PKCE S256), limited to their SMART v2 scopes and to their user's rights; see .well-known/smart-configuration.",
          ...(oauth
            ? {
                service: [
                  {
                    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
                    text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
                  },
                ],
                extension: [
                  {
                    url: OAUTH_URIS,
                    extension: (['authorize', 'token', 'revoke', 'introspect'] as const).map((name) => ({
                      url: name,
                      valueUri: oauth[name],
                    })),
                  },
                ],
              }
            : {}),
        },
        resource: [
          ...handlers.map((handler) => ({
            type: handler.type,
            interaction: [
              { code: 'read' as const },
              { code: 'search-type' as const },
              ...(handler.patch ? [{ code: 'patch' as const }] : []),
            ],
            searchParam: [
              ...handler.searchParams.map((param) => ({ name: param.name, type: param.type, documentation: param.documentation })),
              { name: '_count', type: 'number' as const, documentation: 'Page size, 1 to 100; default 50.' },
            ],
            ...(handler.operations
              ? {
                  operation: handler.operations.map((name) => ({
                    name,
                    definition: `${base}/OperationDefinition/${handler.type}-${name}`,
                  })),
                }
              : {}),
          })),
          subscriptionCapability(base),
        ],
      },
    ],
  };
}
