import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { ResourceHandler } from './resource-handler';

/**
 * GET /fhir/R4/metadata: what this server actually implements, built from the same handlers the
 * router serves, so the statement cannot list a search parameter the router refuses.
 */
export function capabilityStatement(base: string, handlers: readonly ResourceHandler[], date: Date): CapabilityStatement {
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
          description: 'Bearer tokens of CareLine (the same as /graphql): Authorization: Bearer <accessToken>. metadata needs none.',
        },
        resource: handlers.map((handler) => ({
          type: handler.type,
          interaction: [
            { code: 'read' as const },
            { code: 'search-type' as const },
            ...(handler.patch ? [{ code: 'patch' as const }] : []),
          ],
          searchParam: [
            ...handler.searchParams.map((param) => ({ name: param.name, type: param.type, documentation: param.documentation })),
            { name: '_count', type: 'number', documentation: 'Page size, 1 to 100; default 50.' },
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
      },
    ],
  };
}
