import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ErrorCode, isPublicError } from '../platform/errors';

/** The FHIR issue type of an OperationOutcome (`issue.code`). */
export type IssueCode = OperationOutcomeIssue['code'];

/** A refusal the facade raises itself (bad search parameter, unknown type): HTTP status and issue code as FHIR expects. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    readonly diagnostics: string,
    /** Sent as Retry-After (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(diagnostics);
  }
}

/** 400 `not-supported`: a type, parameter, operation or method the facade does not implement. */
export function notSupported(diagnostics: string): FhirError {
  return new FhirError(400, 'not-supported', diagnostics);
}

/** 400 `invalid`: input that can never succeed as sent. */
export function invalid(diagnostics: string): FhirError {
  return new FhirError(400, 'invalid', diagnostics);
}

export function operationOutcome(code: IssueCode, diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

/** CareLine's public error codes (platform/errors.ts) as HTTP statuses and FHIR issue codes. */
const BY_CODE: Readonly<Record<string, { status: number; code: IssueCode }>> = {
  [ErrorCode.Unauthenticated]: { status: 401, code: 'login' },
  [ErrorCode.Forbidden]: { status: 403, code: 'forbidden' },
  [ErrorCode.MfaRequired]: { status: 403, code: 'forbidden' },
  [ErrorCode.NotFound]: { status: 404, code: 'not-found' },
  [ErrorCode.BadUserInput]: { status: 400, code: 'invalid' },
  [ErrorCode.CursorExpired]: { status: 400, code: 'invalid' },
  [ErrorCode.SlotUnavailable]: { status: 409, code: 'conflict' },
  [ErrorCode.Conflict]: { status: 409, code: 'conflict' },
  // The hold is gone: the request broke the rule that a hold is booked before HOLD_TTL runs out.
  [ErrorCode.HoldExpired]: { status: 409, code: 'business-rule' },
  [ErrorCode.RateLimited]: { status: 429, code: 'throttled' },
};

/** What a body parser error means (express.json sets `type`), when it is one. */
function bodyError(error: unknown): FhirError | undefined {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  if (type === 'entity.parse.failed') return new FhirError(400, 'structure', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new FhirError(413, 'too-long', 'The request body is too large (limit 1 MB).');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new FhirError(415, 'not-supported', 'The request body must be UTF-8 JSON.');
  }
  return undefined;
}

/**
 * Any error as the answer a FHIR client reads: a status and an OperationOutcome. Errors with a
 * public code keep their message; anything else is `exception` with only an id to quote
 * (`undefined` status tells the caller to log it under that id).
 */
export function outcomeOf(error: unknown, errorId: string): { status: number; outcome: OperationOutcome; unexpected: boolean } {
  const known = error instanceof FhirError ? error : bodyError(error);
  if (known) return { status: known.status, outcome: operationOutcome(known.code, known.diagnostics), unexpected: false };
  if (isPublicError(error)) {
    const mapped = BY_CODE[String(error.extensions['code'])];
    if (mapped) return { status: mapped.status, outcome: operationOutcome(mapped.code, error.message), unexpected: false };
  }
  return {
    status: 500,
    outcome: operationOutcome('exception', `Something went wrong on our side (error id ${errorId}).`),
    unexpected: true,
  };
}
