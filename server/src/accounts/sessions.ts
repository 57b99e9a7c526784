import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { PrismaReader } from '../platform/database';
import type { Sql, Statement } from '../platform/sql';
import { timestamp } from '../platform/sql-values';
import type { RequestMeta } from './request-meta';
import type { RevocationChannel } from './revocation-channel';

/** What a token's session says: whose it is and until when it may be used. */
export interface LiveSession {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

/** A session as its owner sees it (`mySessions`). */
export interface SessionSummary {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date | null;
  readonly userAgent: string | null;
}

/**
 * How long a cached answer "this session is live" may be used without asking the database again.
 * Revocations arrive by pub/sub at once; this bounds the staleness when an announcement is lost
 * while the channel looks healthy (the revoking instance could not reach Redis). While the channel
 * is known to be down the cache is bypassed entirely (every request reads its session: fail closed).
 */
export const SESSION_CACHE_TTL_MS = 30_000;
/** Sessions remembered per instance (oldest forgotten first). */
const SESSION_CACHE_SIZE = 20_000;
/** last_seen_at is written at most this often per session and instance. */
const LAST_SEEN_INTERVAL_MS = 60_000;
const MAX_USER_AGENT = 300;

/** A sign-in: SESSION_MAX_AGE from now, with where it came from. */
const INSERT_SESSION: Statement = {
  name: 'sessions_insert',
  text: `
    INSERT INTO sessions (user_id, expires_at, user_agent, ip_address)
    VALUES ($1::uuid, $2::timestamptz, $3::text, $4::text)
    RETURNING id, user_id, expires_at`,
};

const InsertedSession = z.object({ id: z.string(), user_id: z.string(), expires_at: timestamp });

/** Ends one session of a user (logout); the ids of the sessions it ended (none when it had ended already). */
const REVOKE_SESSION: Statement = {
  name: 'sessions_revoke',
  text: `
    UPDATE sessions SET revoked_at = $3::timestamptz
    WHERE user_id = $1::uuid AND id = $2::uuid AND revoked_at IS NULL
    RETURNING id`,
};

/** Ends every session of a user but `$2` when given (logoutEverywhere, changePassword); the ids it ended. */
const REVOKE_SESSIONS_OF_USER: Statement = {
  name: 'sessions_revoke_all_of_user',
  text: `
    UPDATE sessions SET revoked_at = $3::timestamptz
    WHERE user_id = $1::uuid AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
    RETURNING id`,
};

const RevokedSession = z.object({ id: z.string() });

/**
 * Ends every session of the user in the caller's transaction (a member's removal: the sessions
 * end with the membership or not at all). Returns their ids: once the transaction has committed,
 * pass them to SessionService.announceRevoked so every instance drops them and closes their sockets.
 */
export async function revokeSessionsOfUserIn(tx: Sql, userId: string, at: Date): Promise<string[]> {
  const rows = await tx.query(REVOKE_SESSIONS_OF_USER, [userId, null, at.toISOString()]);
  return rows.map((raw) => RevokedSession.parse(raw).id);
}

/** "Last seen", informational (mySessions). */
const TOUCH_SESSION: Statement = {
  name: 'sessions_touch',
  text: 'UPDATE sessions SET last_seen_at = $2::timestamptz WHERE id = $1::uuid',
};

interface Cached {
  readonly session: LiveSession | undefined;
  readonly checkedAtMs: number;
}

/**
 * Sign-in sessions: created at sign-in, checked on every request through a bounded per-instance
 * cache (no database round trip per request), revoked by logout, logoutEverywhere and
 * changePassword. Emits 'revoked' (sessionIds) when any instance revoked sessions, so the
 * transport closes their sockets. Each write is one statement with no events, so it commits on
 * its own (as the audit trail's `record` does): accounts sits below live/, whose transactions
 * exist to carry events; a revocation is announced on the channel once it has committed.
 */
export class SessionService {
  readonly events = new EventEmitter();
  private readonly cache = new Map<string, Cached>();
  private readonly lastSeenWritten = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaReader,
    private readonly sql: Sql,
    private readonly channel: RevocationChannel,
    private readonly config: Pick<Config['accounts'], 'sessionMaxAgeSeconds'>,
    private readonly clock: Clock,
  ) {
    channel.events.on('revoked', (ids: string[]) => {
      for (const id of ids) this.cache.delete(id);
      this.events.emit('revoked', ids);
    });
    // Announcements may have been missed while the channel was down: forget every cached answer,
    // and let the transport re-check the sessions of its open sockets.
    channel.events.on('restored', () => {
      this.cache.clear();
      this.events.emit('recheck');
    });
  }

  /** Opens a session for a sign-in, expiring SESSION_MAX_AGE from now. */
  async open(userId: string, request: RequestMeta): Promise<LiveSession> {
    const expiresAt = new Date(this.clock().getTime() + this.config.sessionMaxAgeSeconds * 1000);
    const [raw] = await this.sql.query(INSERT_SESSION, [
      userId,
      expiresAt.toISOString(),
      request.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      request.clientAddress,
    ]);
    const row = InsertedSession.parse(raw);
    return { id: row.id, userId: row.user_id, expiresAt: row.expires_at };
  }

  /** The live session with this id (not revoked, not expired), or undefined. Usually answered from memory. */
  async live(sessionId: string): Promise<LiveSession | undefined> {
    const nowMs = this.clock().getTime();
    const cached = this.cache.get(sessionId);
    let session: LiveSession | undefined;
    if (cached && this.channel.isListening() && nowMs - cached.checkedAtMs < SESSION_CACHE_TTL_MS) {
      session = cached.session;
    } else {
      session = await this.read(sessionId);
      this.remember(sessionId, { session, checkedAtMs: nowMs });
    }
    if (!session || session.expiresAt.getTime() <= nowMs) return undefined;
    this.touch(sessionId, nowMs);
    return session;
  }

  /** Of these sessions, the ones that are no longer live, in one query (the transport's socket re-check). */
  async endedAmong(sessionIds: readonly string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const rows = await this.prisma.session.findMany({
      where: { id: { in: [...sessionIds] }, revokedAt: null, expiresAt: { gt: this.clock() } },
      select: { id: true },
    });
    const live = new Set(rows.map((row) => row.id));
    return sessionIds.filter((id) => !live.has(id));
  }

  /** The user's live sessions, newest first. */
  async listOf(userId: string): Promise<SessionSummary[]> {
    return this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: this.clock() } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true },
    });
  }

  /** Revokes one session of this user; its tokens stop working on every instance at once. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    await this.revokeWith(REVOKE_SESSION, userId, sessionId);
  }

  /** Revokes every session of the user, except `keep` when given. */
  async revokeAllOf(userId: string, options: { keep?: string } = {}): Promise<void> {
    await this.revokeWith(REVOKE_SESSIONS_OF_USER, userId, options.keep ?? null);
  }

  /** Announces sessions revoked in a committed transaction (revokeSessionsOfUserIn) to every instance, this one included. */
  async announceRevoked(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) this.cache.delete(id);
    await this.channel.publish(sessionIds);
  }

  /** Runs REVOKE_SESSION or REVOKE_SESSIONS_OF_USER, then forgets and announces what it ended. */
  private async revokeWith(statement: Statement, userId: string, sessionId: string | null): Promise<void> {
    const rows = await this.sql.query(statement, [userId, sessionId, this.clock().toISOString()]);
    const ids = rows.map((raw) => RevokedSession.parse(raw).id);
    for (const id of ids) this.cache.delete(id);
    await this.channel.publish(ids);
  }

  private async read(sessionId: string): Promise<LiveSession | undefined> {
    const row = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { id: true, userId: true, expiresAt: true, revokedAt: true },
    });
    if (!row || row.revokedAt) return undefined;
    return { id: row.id, userId: row.userId, expiresAt: row.expiresAt };
  }

  private remember(sessionId: string, entry: Cached): void {
    this.cache.delete(sessionId);
    if (this.cache.size >= SESSION_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sessionId, entry);
  }

  /** Records "last seen" at most once a minute per session (fire and forget: it is informational). */
  private touch(sessionId: string, nowMs: number): void {
    const written = this.lastSeenWritten.get(sessionId);
    if (written !== undefined && nowMs - written < LAST_SEEN_INTERVAL_MS) return;
    this.lastSeenWritten.delete(sessionId);
    if (this.lastSeenWritten.size >= SESSION_CACHE_SIZE) this.lastSeenWritten.delete(this.lastSeenWritten.keys().next().value!);
    this.lastSeenWritten.set(sessionId, nowMs);
    void this.sql.query(TOUCH_SESSION, [sessionId, new Date(nowMs).toISOString()]).catch(() => undefined);
  }
}
