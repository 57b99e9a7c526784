import type { Viewer } from '../accounts/authorization';
import { isAuditedReader, type AuditAction, type AuditObjectType } from './audit-entry';
import type { AuditTrail } from './audit-trail';

/** One patient's data about to leave in an answer, and which object (when there is one). */
export interface Disclosed {
  readonly patientId: string;
  readonly objectId?: string;
}

/**
 * Records that these patients' data are about to be sent to `viewer`: one row per patient (the
 * first object named for them), the viewer's own data left out unless read through an app; resolves once the rows are
 * committed, so await it before returning the data. A failed write rejects: the read fails with
 * INTERNAL_SERVER_ERROR (and a logged id) instead of sending unaudited data.
 */
export async function recordDisclosures(
  audit: AuditTrail,
  viewer: Viewer | undefined,
  action: AuditAction,
  objectType: AuditObjectType,
  disclosed: readonly Disclosed[],
): Promise<void> {
  if (!viewer) return;
  const byPatient = new Map<string, Disclosed>();
  for (const item of disclosed)
    if (isAuditedReader(viewer, item.patientId) && !byPatient.has(item.patientId)) byPatient.set(item.patientId, item);
  await audit.record(
    viewer,
    [...byPatient.values()].map((item) => ({
      action,
      patientId: item.patientId,
      objectType,
      ...(item.objectId ? { objectId: item.objectId } : {}),
    })),
  );
}
