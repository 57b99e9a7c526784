import type { Viewer } from '../accounts/authorization';
import { ErrorCode } from '../platform/errors';
import { isUuid } from '../platform/validation';
import { GraphQLError } from 'graphql';
import { isAuditedReader, type AuditAction, type AuditObjectType } from './audit-entry';
import type { AuditTrail } from './audit-trail';

/** What a service calls once it has read a chart: records the read before the answer is sent. */
export interface ChartRead {
  recorded(objectType: AuditObjectType): Promise<void>;
}

/**
 * Runs the authorization of a read of a patient's chart and audits it: a refusal (FORBIDDEN) of a
 * signed-in viewer is recorded as DENIED before it is thrown; an allowed read by anyone but the
 * patient is recorded as one row (the number of objects is not the point: who looked is) once
 * the service calls `recorded`. The patient reading their own chart is not recorded (through an app, it is).
 */
export async function recordChartRead(
  audit: AuditTrail,
  action: AuditAction,
  viewer: Viewer | undefined,
  patientId: string,
  authorize: () => Promise<Viewer>,
): Promise<ChartRead> {
  let reader: Viewer;
  try {
    reader = await authorize();
  } catch (error) {
    if (viewer && isUuid(patientId) && error instanceof GraphQLError && error.extensions['code'] === ErrorCode.Forbidden) {
      await audit.record(viewer, [{ action, patientId, outcome: 'DENIED' }]);
    }
    throw error;
  }
  const own = !isAuditedReader(reader, patientId);
  return {
    recorded: async (objectType) => {
      if (!own) await audit.record(reader, [{ action, patientId, objectType }]);
    },
  };
}
