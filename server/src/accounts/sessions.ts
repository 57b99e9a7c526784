import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Role } from '../generated/prisma/enums';
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
  /** The generation of its current token (refreshToken moves it on). */
  readonly generation: number;
  /** When the current generation was issued; null when the previous token has no grace (changePassword). */
  readonly rotatedAt: Date | null;
  /** The last user activity written to the table (sign-in at first). */
  readonly lastSeenAt: Date | null;
  /**
   * The account's role must use a second factor (MFA_REQUIRED_ROLES) and it has none yet: only
   * the enrollment operations are let through (transport/mfa-gate.ts).
   */
  readonly secondFactorMissing: boolean;
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
/**
 * How long the token a refreshToken was called with keeps working (two tabs renewing at once,
 * a request in flight). Presenting it later ends the whole session (reuse detection, OAuth 2.0
 * Security BCP): a stolen token cannot be chained on once its owner has renewed.
 */
export const ROTATION_GRACE_MS = 30_000;
const MAX_USER_AGENT = 300;

/** A sign-in: SESSION_MAX_AGE from now, with where it came from. */
const INSERT_SESSION: Statement = {
  name: 'sessions_insert',
  text: `
    INSERT INTO sessions (user_id, expires_at, user_agent, ip_address, last_seen_at)
    VALUES ($1::uuid, $2::timestamptz, $3::text, $4::text, $5::timestamptz)
    RETURNING id, user_id, expires_at`,
};

const InsertedSession = z.object({ id: z.string(), user_id: z.string(), expires_at: timestamp });

/**
 * Rotation: moves a live session from generation $2 to the next, issued at $3. No row when the
 * session is no longer at $2 (another renewal won the race) or has ended.
 */
const ROTATE_SESSION: Statement = {
  name: 'sessions_rotate',
  text: `
    UPDATE sessions SET token_generation = token_generation + 1, rotated_at = $3::timestamptz
    WHERE id = $1::uuid AND token_generation = $2::integer AND revoked_at IS NULL
    RETURNING token_generation`,
};

/** changePassword: the next generation with no grace for the previous token. */
const ROTATE_SESSION_WITHOUT_GRACE: Statement = {
  name: 'sessions_rotate_without_grace',
  text: `
    UPDATE sessions SET token_generation = token_generation + 1, rotated_at = NULL
    WHERE id = $1::uuid AND revoked_at IS NULL
    RETURNING token_generation`,
};

const RotatedSession = z.object({ token_generation: z.number().int() });

/**
 * Ends a session by id (idle, or a rotated token presented again), whoever's it is: the session it
 * ended (none when it had ended already), with its owner, their role and where it signed in from.
 */
const END_SESSION: Statement = {
  name: 'sessions_end',
  text: `
    UPDATE sessions SET revoked_at = $2::timestamptz
    WHERE id = $1::uuid AND revoked_at IS NULL
    RETURNING id, user_id, (SELECT u.role::text FROM users u WHERE u.id = sessions.user_id) AS role, ip_address, user_agent`,
};

const EndedSession = z.object({
  id: z.string(),
  user_id: z.string(),
  role: z.string().nullable(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
});

/**
 * A session the server ended on its own (SessionService emits it as 'ended', once, on the
 * instance whose statement ended it): for the audit trail, which sits above accounts/.
 */
export interface EndedByServer {
  readonly sessionId: string;
  readonly userId: string;
  /** The owner's role (Role as text). */
  readonly role: string;
  /** idle: SESSION_IDLE_TIMEOUT passed without activity; reused: a rotated token presented after its grace. */
  readonly reason: 'idle' | 'reused';
  /** Where the session signed in from (the request that ended it is not known to `check`). */
  readonly clientAddress: string | undefined;
  readonly userAgent: string | undefined;
}

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

/** "Last seen": the last user activity (mySessions, SESSION_IDLE_TIMEOUT); never moves back. */
const TOUCH_SESSION: Statement = {
  name: 'sessions_touch',
  text: 'UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2::timestamptz) WHERE id = $1::uuid',
};

interface Cached {
  readonly session: LiveSession | undefined;
  readonly checkedAtMs: number;
}

/** Why a token's session does not let it through. */
export type SessionRefusal = 'ended' | 'idle' | 'reused';

/**
 * Sign-in sessions: created at sign-in, checked on every request through a bounded per-instance
 * cache (no database round trip per request), revoked by logout, logoutEverywhere and
 * changePassword, ended after SESSION_IDLE_TIMEOUT without user activity and when a rotated token
 * is presented after its grace. Emits 'revoked' (sessionIds) when any instance revoked sessions, so
 * the transport closes their sockets, 'appTokensRevoked' (stored token keys) when any instance
 * revoked third-party apps' access tokens (their sockets close too), and 'ended' (EndedByServer) once per session this instance
 * ended for idleness or reuse (the composition records it as a security event). Each write is one statement with no events, so it commits on
 * its own (as the audit trail's `record` does): accounts sits below live/, whose transactions
 * exist to carry events; a revocation is announced on the channel once it has committed, a
 * rotation too (instances drop the session from their caches, its sockets stay).
 */
export class SessionService {
  readonly events = new EventEmitter();
  private readonly cache = new Map<string, Cached>();
  /** This instance's last user activity per session (ms), and when it was last written. */
  private readonly activity = new Map<string, { atMs: number; writtenMs: number }>();

  constructor(
    private readonly prisma: PrismaReader,
    private readonly sql: Sql,
    private readonly channel: RevocationChannel,
    private readonly config: Pick<Config['accounts'], 'sessionMaxAgeSeconds' | 'sessionIdleTimeoutSeconds' | 'mfaRequiredRoles'>,
    private readonly clock: Clock,
  ) {
    channel.events.on('revoked', (ids: string[]) => {
      for (const id of ids) this.cache.delete(id);
      this.events.emit('revoked', ids);
    });
    channel.events.on('rotated', (ids: string[]) => {
      for (const id of ids) this.cache.delete(id);
    });
    // An app's access token revoked on any instance (its session lives on): its sockets close.
    channel.events.on('appTokensRevoked', (keys: string[]) => this.events.emit('appTokensRevoked', keys));
    // Announcements may have been missed while the channel was down: forget every cached answer,
    // and let the transport re-check the sessions of its open sockets.
    channel.events.on('restored', () => {
      this.cache.clear();
      this.events.emit('recheck');
    });
  }

  private get idleMs(): number {
    return this.config.sessionIdleTimeoutSeconds * 1000;
  }

  /**
   * Opens a session for a sign-in, expiring SESSION_MAX_AGE from now; its first token is
   * generation 0. `mfaEnabled`: whether the account has a second factor (the caller has just read it).
   */
  async open(account: { id: string; role: Role; mfaEnabled: boolean }, request: RequestMeta): Promise<LiveSession> {
    const userId = account.id;
    const secondFactorMissing = this.config.mfaRequiredRoles.includes(account.role) && !account.mfaEnabled;
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.config.sessionMaxAgeSeconds * 1000);
    const [raw] = await this.sql.query(INSERT_SESSION, [
      userId,
      expiresAt.toISOString(),
      request.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      request.clientAddress,
      now.toISOString(),
    ]);
    const row = InsertedSession.parse(raw);
    return {
      id: row.id,
      userId: row.user_id,
      expiresAt: row.expires_at,
      generation: 0,
      rotatedAt: null,
      lastSeenAt: now,
      secondFactorMissing,
    };
  }

  /**
   * The live session with this id (not revoked, not expired, not idle), or undefined. Usually
   * answered from memory. A use by the user's client: it counts as activity.
   */
  async live(sessionId: string): Promise<LiveSession | undefined> {
    const result = await this.check(sessionId, undefined);
    return 'session' in result ? result.session : undefined;
  }

  /**
   * The session a token of `generation` may use, or why not. The current generation passes; the
   * previous one within ROTATION_GRACE_MS of the rotation; any other ends the session (reuse). A
   * session idle for SESSION_IDLE_TIMEOUT ends. Passing counts as user activity.
   */
  async check(sessionId: string, generation: number | undefined): Promise<{ session: LiveSession } | { refused: SessionRefusal }> {
    const nowMs = this.clock().getTime();
    const looked = await this.lookup(sessionId, nowMs);
    const { fresh } = looked;
    let { session } = looked;
    if (!session || session.expiresAt.getTime() <= nowMs) return { refused: 'ended' };
    // A newer token than the cached generation, or an idle verdict from a cached row: read again.
    if (!fresh && ((generation !== undefined && generation !== session.generation) || this.isIdle(session, nowMs))) {
      session = await this.read(sessionId);
      this.remember(sessionId, { session, checkedAtMs: nowMs });
      if (!session || session.expiresAt.getTime() <= nowMs) return { refused: 'ended' };
    }
    if (this.isIdle(session, nowMs)) {
      await this.end(sessionId, 'idle');
      return { refused: 'idle' };
    }
    if (generation !== undefined && generation !== session.generation) {
      const inGrace =
        generation === session.generation - 1 && session.rotatedAt !== null && nowMs < session.rotatedAt.getTime() + ROTATION_GRACE_MS;
      if (!inGrace) {
        // The previous token after changePassword is only refused; an older one, or one past its grace, is reuse.
        if (generation === session.generation - 1 && session.rotatedAt === null) return { refused: 'ended' };
        await this.end(sessionId, 'reused');
        return { refused: 'reused' };
      }
    }
    this.touch(sessionId, nowMs);
    return { session };
  }

  /**
   * refreshToken: the generation the new token is for. A token of the current generation moves
   * the session on (rotation); one of the previous generation within its grace (a second tab
   * renewing at once) gets the current one. Announced so every instance reads the session again.
   */
  async rotate(sessionId: string, presented: number): Promise<number> {
    const rows = await this.sql.query(ROTATE_SESSION, [sessionId, presented, this.clock().toISOString()]);
    const rotated = rows[0] ? RotatedSession.parse(rows[0]).token_generation : undefined;
    this.cache.delete(sessionId);
    if (rotated === undefined) {
      const session = await this.read(sessionId);
      if (!session) throw new Error('rotate: the session ended meanwhile');
      return session.generation;
    }
    await this.channel.publishRotated([sessionId]);
    return rotated;
  }

  /**
   * Third-party apps' access tokens were deleted (features/apps: revocation, a grant ended): every
   * instance closes the sockets they opened. By stored key (SHA-256), never the token. Never throws.
   */
  async announceAppTokensRevoked(tokenKeys: readonly string[]): Promise<void> {
    await this.channel.publishAppTokensRevoked(tokenKeys);
  }

  /** changePassword: the next generation, the previous token refused at once (no grace). */
  async rotateWithoutGrace(sessionId: string): Promise<number> {
    const rows = await this.sql.query(ROTATE_SESSION_WITHOUT_GRACE, [sessionId]);
    this.cache.delete(sessionId);
    if (!rows[0]) throw new Error('rotateWithoutGrace: the session ended meanwhile');
    await this.channel.publishRotated([sessionId]);
    return RotatedSession.parse(rows[0]).token_generation;
  }

  /**
   * A user activity on this session that did not go through `check` (an operation sent over a
   * socket): it keeps the session from idling out.
   */
  recordActivity(sessionId: string): void {
    this.touch(sessionId, this.clock().getTime());
  }

  /** Of these sessions, the ones that are no longer live (revoked, expired, idle), in one query (the transport's socket re-check). */
  async endedAmong(sessionIds: readonly string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const now = this.clock();
    const rows = await this.prisma.session.findMany({
      where: { id: { in: [...sessionIds] }, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, lastSeenAt: true },
    });
    const live = new Set(
      rows.filter((row) => !this.isIdle({ id: row.id, lastSeenAt: row.lastSeenAt }, now.getTime())).map((row) => row.id),
    );
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

  /**
   * The account's second factor changed (enrolled, turned off): every instance reads its sessions
   * again, so the same tokens pass or meet the MFA gate at once.
   */
  async secondFactorChanged(userId: string): Promise<void> {
    const ids = (await this.listOf(userId)).map((session) => session.id);
    for (const id of ids) this.cache.delete(id);
    await this.channel.publishRotated(ids);
  }

  /** Announces sessions revoked in a committed transaction (revokeSessionsOfUserIn) to every instance, this one included. */
  async announceRevoked(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) this.cache.delete(id);
    await this.channel.publish(sessionIds);
  }

  /** Whether the session had no user activity for SESSION_IDLE_TIMEOUT (never, when it is 0). */
  private isIdle(session: Pick<LiveSession, 'id' | 'lastSeenAt'>, nowMs: number): boolean {
    if (this.idleMs <= 0) return false;
    const written = session.lastSeenAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    const local = this.activity.get(session.id)?.atMs ?? Number.NEGATIVE_INFINITY;
    return nowMs - Math.max(written, local) >= this.idleMs;
  }

  /** The session, from the cache when it may be used (fresh: read from the table just now). */
  private async lookup(sessionId: string, nowMs: number): Promise<{ session: LiveSession | undefined; fresh: boolean }> {
    const cached = this.cache.get(sessionId);
    if (cached && this.channel.isListening() && nowMs - cached.checkedAtMs < SESSION_CACHE_TTL_MS)
      return { session: cached.session, fresh: false };
    const session = await this.read(sessionId);
    this.remember(sessionId, { session, checkedAtMs: nowMs });
    return { session, fresh: true };
  }

  /**
   * Ends a session whoever's it is (idle, or a rotated token presented again), announces it, and
   * emits 'ended' when this call ended it (a session already ended by another request or instance
   * is not ended twice, so it is reported once). Rare: not on the path of a live session.
   */
  private async end(sessionId: string, reason: EndedByServer['reason']): Promise<void> {
    const rows = (await this.sql.query(END_SESSION, [sessionId, this.clock().toISOString()])).map((raw) => EndedSession.parse(raw));
    this.cache.delete(sessionId);
    await this.channel.publish(rows.map((row) => row.id));
    for (const row of rows) {
      const ended: EndedByServer = {
        sessionId: row.id,
        userId: row.user_id,
        role: row.role ?? 'UNKNOWN',
        reason,
        clientAddress: row.ip_address ?? undefined,
        userAgent: row.user_agent ?? undefined,
      };
      this.events.emit('ended', ended);
    }
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
      select: {
        id: true,
        userId: true,
        expiresAt: true,
        revokedAt: true,
        tokenGeneration: true,
        rotatedAt: true,
        lastSeenAt: true,
        user: { select: { role: true, mfaCredential: { select: { confirmedAt: true } } } },
      },
    });
    if (!row || row.revokedAt) return undefined;
    const secondFactorMissing = this.config.mfaRequiredRoles.includes(row.user.role) && !row.user.mfaCredential?.confirmedAt;
    return {
      id: row.id,
      userId: row.userId,
      expiresAt: row.expiresAt,
      generation: row.tokenGeneration,
      rotatedAt: row.rotatedAt,
      lastSeenAt: row.lastSeenAt,
      secondFactorMissing,
    };
  }

  private remember(sessionId: string, entry: Cached): void {
    this.cache.delete(sessionId);
    if (this.cache.size >= SESSION_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sessionId, entry);
  }

  /**
   * Remembers a user activity, and writes "last seen" at most once a minute per session (or a
   * quarter of SESSION_IDLE_TIMEOUT when shorter), fire and forget.
   */
  private touch(sessionId: string, nowMs: number): void {
    const known = this.activity.get(sessionId);
    const interval = this.idleMs > 0 ? Math.min(LAST_SEEN_INTERVAL_MS, this.idleMs / 4) : LAST_SEEN_INTERVAL_MS;
    const write = known === undefined || nowMs - known.writtenMs >= interval;
    this.activity.delete(sessionId);
    if (this.activity.size >= SESSION_CACHE_SIZE) this.activity.delete(this.activity.keys().next().value!);
    this.activity.set(sessionId, { atMs: Math.max(nowMs, known?.atMs ?? 0), writtenMs: write ? nowMs : known.writtenMs });
    if (write) void this.sql.query(TOUCH_SESSION, [sessionId, new Date(nowMs).toISOString()]).catch(() => undefined);
  }
}
