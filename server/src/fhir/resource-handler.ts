import type { Bundle, Resource, ResourceType } from '@medplum/fhirtypes';
import type { Viewer } from '../accounts/authorization';
import type { RequestServices } from '../graphql/request-context';
import type { SearchRequest } from './search';
import type { ScopeLimit } from './smart-scopes';

/** What one FHIR request is answered with: the services (they authorize and audit), who asks, and the base URL for links. */
export interface FhirContext {
  readonly services: RequestServices;
  readonly viewer: Viewer;
  /** e.g. http://localhost:4000/fhir/R4 */
  readonly base: string;
  /** The injected clock's now (default search windows). */
  readonly now: Date;
  /** What a third-party app's SMART scopes limit this request to (smart-scopes.ts); {} for the dashboard's tokens. */
  readonly limit: ScopeLimit;
}

/** One resource type of the facade: its search parameters (also listed by the CapabilityStatement), read and search. */
export interface ResourceHandler {
  readonly type: ResourceType;
  readonly searchParams: ReadonlyArray<{
    readonly name: string;
    readonly type: 'string' | 'date' | 'token' | 'reference';
    readonly documentation: string;
  }>;
  /** Parameters that may be given more than once (a date range: `date=ge...&date=lt...`). */
  readonly repeatable?: readonly string[];
  /** Operations on the type (without `$`) and whether PATCH is served: what the CapabilityStatement lists. */
  readonly operations?: readonly string[];
  readonly patch?: boolean;
  read(context: FhirContext, id: string): Promise<Resource>;
  search(context: FhirContext, search: SearchRequest): Promise<Bundle>;
}
