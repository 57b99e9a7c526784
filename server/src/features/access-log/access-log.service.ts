import { requireRole, type Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import { AuditAction } from '../../audit/audit-entry';
import { readAuditAboutPatient, readAuditOfPractice, readSecurityEventsOfPractice, type AuditLogRow } from '../../audit/audit-log';
import { badUserInput } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import type { PracticeMembers } from '../practices/practices.members';
import { assertPracticeAdmin } from '../practices/practices.policy';
import { appNamesOf } from '../apps/apps.sql';
import { endpointUrlsOfDeliveries } from '../webhooks/webhooks.sql';
import type { AccessLogEntry, SecurityEvent } from './access-log.type';

export const DEFAULT_ACCESS_LOG_SIZE = 50;
const MAX_ACCESS_LOG_SIZE = 200;
const CURSOR_PREFIX = 'al1:';
const ROLES: readonly Role[] = Object.values(Role);
/** How a patient's access log names another patient (one who tried to read their data): never by name. */
export const ANOTHER_PATIENT = 'Another patient';

/** Audit rows as the people concerned may read them. */
export class AccessLogService {
  constructor(
    private readonly sql: Sql,
    private readonly members: PracticeMembers,
  ) {}

  /**
   * A patient's own access log: who else read or changed their data (their own actions are
   * left out), newest first, `first` at a time before the `after` cursor. PATIENT only. Refused
   * attempts (DENIED) are one entry per actor and action with their `count`; another patient is
   * never named (ANOTHER_PATIENT).
   */
  async myAccessLog(viewer: Viewer | undefined, first: number, after?: string | null): Promise<AccessLogEntry[]> {
    const patient = requireRole(viewer, Role.PATIENT, 'read your access log');
    const size = pageSize(first);
    const before = after ? decodeAccessLogCursor(after) : undefined;
    const rows = await readAuditAboutPatient(this.sql, patient.userId, { before, size });
    return (await this.entriesOf(rows)).map((entry) =>
      entry.actorRole === Role.PATIENT && entry.actorUserId !== patient.userId
        ? { ...entry, actorName: withApp(ANOTHER_PATIENT, entry.appName) }
        : entry,
    );
  }

  /**
   * `practiceAuditEvents`: what the practice's people read or changed, for an admin of that
   * practice only (FORBIDDEN otherwise), optionally for one patient and a time range.
   */
  async practiceAuditEvents(
    viewer: Viewer | undefined,
    practiceId: string,
    filter: { patientId?: string | null; from?: Date | null; to?: Date | null; first: number; after?: string | null },
  ): Promise<AccessLogEntry[]> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    if (filter.from && filter.to && !(filter.to > filter.from)) throw badUserInput('to must be after from.', 'to');
    return this.practiceEvents(practiceId, filter);
  }

  /** A practice's audit events, optionally for one patient and a time range, newest first (callers authorize). */
  async practiceEvents(
    practiceId: string,
    filter: { patientId?: string | null; from?: Date | null; to?: Date | null; first: number; after?: string | null },
  ): Promise<AccessLogEntry[]> {
    const size = pageSize(filter.first);
    const before = filter.after ? decodeAccessLogCursor(filter.after) : undefined;
    const rows = await readAuditOfPractice(this.sql, practiceId, {
      patientId: filter.patientId ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      before,
      size,
    });
    return this.entriesOf(rows);
  }

  /**
   * `practiceSecurityEvents`: the practice's security events (audit/security-events.ts), newest
   * first, `first` (1 to 200) before the event `after`; its admins only (FORBIDDEN otherwise).
   */
  async practiceSecurityEvents(
    viewer: Viewer | undefined,
    practiceId: string,
    first: number,
    after?: string | null,
  ): Promise<SecurityEvent[]> {
    await assertPracticeAdmin(viewer, practiceId, this.members);
    const size = pageSize(first);
    if (after != null && !/^\d{1,18}$/.test(after)) throw badUserInput('`after` is not a security event id.', 'after');
    const rows = await readSecurityEventsOfPractice(this.sql, practiceId, { before: after ?? null, size });
    const apps = await appNamesOf(
      this.sql,
      rows.flatMap((row) => (row.appId ? [row.appId] : [])),
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      actorName: row.actorName === null ? null : withApp(row.actorName, appNameOf(apps, row.appId)),
      appName: appNameOf(apps, row.appId),
      clientAddress: row.clientAddress,
      userAgent: row.userAgent,
    }));
  }

  /**
   * Rows as entries. A webhook disclosure is named by the endpoint's host and the role of the
   * admin who registered it ("ehr.example.org (webhook registered by a staff admin)"): the
   * receiving system, not the admin, is who got the data.
   */
  private async entriesOf(rows: readonly AuditLogRow[]): Promise<AccessLogEntry[]> {
    const deliveryIds = rows.flatMap((row) =>
      row.action === AuditAction.DiscloseToWebhook && row.objectType === 'webhookDelivery' && row.objectId ? [row.objectId] : [],
    );
    const urls = await endpointUrlsOfDeliveries(this.sql, deliveryIds);
    const apps = await appNamesOf(
      this.sql,
      rows.flatMap((row) => (row.appId ? [row.appId] : [])),
    );
    return rows.flatMap((row) => {
      const url = row.action === AuditAction.DiscloseToWebhook && row.objectId ? urls.get(row.objectId) : undefined;
      return toEntry(
        row,
        appNameOf(apps, row.appId),
        row.action === AuditAction.DiscloseToWebhook ? webhookActorName(url, row.actorRole) : undefined,
      );
    });
  }
}

/** The name of the app a row names; "a removed app" when it is gone, null when the row names none. */
function appNameOf(apps: ReadonlyMap<string, string>, appId: string | null): string | null {
  return appId === null ? null : (apps.get(appId) ?? 'a removed app');
}

/** "<user> via <app>" for what a user did through a third-party app. */
function withApp(actorName: string, appName: string | null): string {
  return appName === null ? actorName : `${actorName} via ${appName}`;
}

/** "ehr.example.org (webhook registered by a doctor admin)"; the host is "a deleted endpoint" past retention. */
function webhookActorName(url: string | undefined, role: string): string {
  const host = url && URL.canParse(url) ? new URL(url).host : 'a deleted endpoint';
  return `${host} (webhook registered by a ${role === Role.DOCTOR ? 'doctor' : 'staff'} admin)`;
}

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ACCESS_LOG_SIZE) {
    throw badUserInput(`first must be a whole number from 1 to ${MAX_ACCESS_LOG_SIZE}.`, 'first');
  }
  return first;
}

/** A row as an entry; a row whose role this server does not know (written by a newer one) is left out. */
function toEntry(row: AuditLogRow, appName: string | null, actorName?: string): AccessLogEntry[] {
  const actorRole = ROLES.find((role) => role === row.actorRole);
  if (!actorRole) return [];
  return [
    {
      at: row.at,
      actorName: withApp(actorName ?? row.actorName ?? 'A deleted account', appName),
      appName,
      actorUserId: row.actorUserId,
      actorRole,
      action: row.action,
      outcome: row.outcome,
      count: row.count,
      practiceId: row.actorPracticeId,
      cursor: Buffer.from(`${CURSOR_PREFIX}${row.id}`, 'utf8').toString('base64url'),
    },
  ];
}

function decodeAccessLogCursor(cursor: string): string {
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,18}$/.test(digits)) throw badUserInput('`after` is not a valid access log cursor.', 'after');
  return digits;
}

declare module '../../graphql/request-context' {
  interface RequestServices {
    readonly accessLog: AccessLogService;
  }
}
