import { requireRole, type Viewer } from '../../accounts/authorization';
import { Role } from '../../generated/prisma/enums';
import { readAuditAboutPatient, readAuditOfPractice, readSecurityEventsOfPractice, type AuditLogRow } from '../../audit/audit-log';
import { badUserInput } from '../../platform/errors';
import type { Sql } from '../../platform/sql';
import type { PracticeMembers } from '../practices/practices.members';
import { assertPracticeAdmin } from '../practices/practices.policy';
import type { AccessLogEntry, SecurityEvent } from './access-log.type';

export const DEFAULT_ACCESS_LOG_SIZE = 50;
const MAX_ACCESS_LOG_SIZE = 200;
const CURSOR_PREFIX = 'al1:';
const ROLES: readonly Role[] = Object.values(Role);

/** Audit rows as the people concerned may read them. */
export class AccessLogService {
  constructor(
    private readonly sql: Sql,
    private readonly members: PracticeMembers,
  ) {}

  /**
   * A patient's own access log: who else read or changed their data (their own actions are
   * left out), newest first, `first` at a time before the `after` cursor. PATIENT only.
   */
  async myAccessLog(viewer: Viewer | undefined, first: number, after?: string | null): Promise<AccessLogEntry[]> {
    const patient = requireRole(viewer, Role.PATIENT, 'read your access log');
    const size = pageSize(first);
    const before = after ? decodeAccessLogCursor(after) : undefined;
    const rows = await readAuditAboutPatient(this.sql, patient.userId, { before, size });
    return rows.flatMap(toEntry);
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
    return rows.flatMap(toEntry);
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
    return rows.map((row) => ({
      id: String(row.id),
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      actorName: row.actorName,
      clientAddress: row.clientAddress,
      userAgent: row.userAgent,
    }));
  }
}

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ACCESS_LOG_SIZE) {
    throw badUserInput(`first must be a whole number from 1 to ${MAX_ACCESS_LOG_SIZE}.`, 'first');
  }
  return first;
}

/** A row as an entry; a row whose role this server does not know (written by a newer one) is left out. */
function toEntry(row: AuditLogRow): AccessLogEntry[] {
  const actorRole = ROLES.find((role) => role === row.actorRole);
  if (!actorRole) return [];
  return [
    {
      at: row.at,
      actorName: row.actorName ?? 'A deleted account',
      actorRole,
      action: row.action,
      outcome: row.outcome,
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
