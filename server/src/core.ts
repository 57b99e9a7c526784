// Must load before any type-graphql class is declared (type-graphql reads decorator metadata).
import 'reflect-metadata';
import { createRevocationChannel, type RevocationChannel } from './accounts/revocation-channel';
import { SessionService } from './accounts/sessions';
import { createSignInThrottle, type SignInThrottle } from './accounts/sign-in-throttle';
import { TokenService } from './accounts/tokens';
import { applyAuditRetention } from './audit/audit-retention';
import { createBackground, type Background } from './background';
import { enqueueInvitationMail } from './features/notifications/invitation-mail';
import type { InvitationCreatedHook } from './features/practices/invitations.service';
import { OutboxDispatcher } from './live/outbox-dispatcher';
import { StreamPositionCheck } from './live/stream-position-check';
import { createPubSub, type AppPubSub } from './live/pubsub';
import { createSocketPresence, type SocketPresence } from './live/socket-presence';
import { systemClock, type Clock } from './platform/clock';
import type { Config } from './platform/config';
import { openDatabase, type Database } from './platform/database';
import { createLogger, type Logger } from './platform/logger';
import { createMetrics, type Metrics } from './platform/metrics';
import { countedReplica } from './platform/read-replica';
import { dataCipherFromConfig, type DataCipher } from './platform/data-cipher';
import { createRateLimits, rateLimitSpecs, type RateLimits } from './platform/rate-limits';
import { createServices, type Services } from './services';

/**
 * One CareLine instance without its network side: the database, pub/sub, limits, accounts,
 * services and background work, wired once. The server (app.ts) listens on top of it; the
 * operator's command (scripts/admin.ts) runs its verbs on it, so both write the same way (an
 * invitation the command issues is mailed like one from the members page).
 */
export interface Core {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly database: Database;
  readonly pubSub: AppPubSub;
  /** Which users have a socket open on some instance (the transport tells it; push asks it). */
  readonly presence: SocketPresence;
  readonly rateLimits: RateLimits;
  readonly tokens: TokenService;
  readonly sessions: SessionService;
  /** Revocations and rotations announced to every instance (accounts/revocation-channel.ts). */
  readonly revocations: RevocationChannel;
  /** Seals and opens stored secrets under DATA_ENCRYPTION_KEY (and opens under the previous keys). */
  readonly cipher: DataCipher;
  /** Publishes committed events (after commit and by sweep) and prunes old ones; started by the server. */
  readonly dispatcher: OutboxDispatcher;
  /** Reads from the outbox what pub/sub lost for this instance's subscribers (started by the app; Redis only). */
  readonly positionCheck: StreamPositionCheck;
  readonly services: Services;
  /** The job worker and what it sends (mail, webhooks); started by the server. */
  readonly background: Background;
  /** Closes pub/sub, the limits' connections and the database. Stop the dispatcher and the background first. */
  close(): Promise<void>;
}

/** What the composition may add to an instance besides its configuration. */
export interface CoreOptions {
  readonly logger?: Logger;
  /** Run inside each invitation's creating transaction with its code (see InvitationCreatedHook); the invitation mail is one. */
  readonly onInvitationCreated?: readonly InvitationCreatedHook[];
  /** The instance's notion of now (platform/clock.ts; tests move it: a token 16 minutes later, a reminder due in 24 h). */
  readonly clock?: Clock;
  /**
   * Extra TLS options for push requests (tests: the `ca` of their own HTTPS push receiver, which
   * NODE_EXTRA_CA_CERTS cannot add to a process already running).
   */
  readonly pushAgentOptions?: { readonly ca?: string | Buffer };
}

/** Opens the database and connections and wires every service; starts nothing that runs on its own. */
export async function createCore(config: Config, options: CoreOptions = {}): Promise<Core> {
  const logger = options.logger ?? createLogger(config.runtime);
  const clock = options.clock ?? systemClock;
  // First: a bad key stops the start before any connection is opened.
  const cipher = dataCipherFromConfig(config.encryption);
  const metrics = createMetrics();
  const database = await openDatabase(config.database, logger, {
    // Only the tables' owner may set what audit_prune keeps: the migrating connection does.
    afterMigrations: (session) => applyAuditRetention(session, config.audit.retentionSeconds),
  });
  const pubSub = countPublished(createPubSub(config.redis, logger), metrics);
  const rateLimits = createRateLimits(rateLimitSpecs(config.rateLimits), { redis: config.redis, logger, metrics });
  const revocations = createRevocationChannel(config.redis, logger);
  const presence = createSocketPresence(config.redis, logger);
  const throttle: SignInThrottle = createSignInThrottle(config);
  const close = async () => {
    await Promise.all(
      [pubSub.close(), rateLimits.close(), revocations.close(), throttle.close(), presence.close()].map((closing) =>
        closing.catch(() => undefined),
      ),
    );
    await database.close();
  };
  try {
    const tokens = new TokenService(config.accounts, clock);
    const sessions = new SessionService(database.prisma, database.sql, revocations, config.accounts, clock);
    const dispatcher = new OutboxDispatcher(database.sql, pubSub, logger, config.outbox, clock);
    const positionCheck = new StreamPositionCheck(database.sql, pubSub, logger, config.outbox.positionCheckIntervalMs);
    const jobs: { background?: Background } = {};
    const services = createServices({
      prisma: database.prisma,
      sql: database.sql,
      prioritySql: database.prioritySql,
      replica: database.replica ? countedReplica(database.replica, metrics) : undefined,
      pubSub,
      dispatcher,
      tokens,
      sessions,
      throttle,
      cipher,
      logger,
      config,
      // The invitation email is a job written in the invitation's own transaction.
      onInvitationCreated: [...(options.onInvitationCreated ?? []), enqueueInvitationMail],
      nudgeJobs: () => jobs.background?.worker.nudge(),
      clock,
    });
    const background = createBackground({
      prisma: database.prisma,
      sql: database.sql,
      transactions: services.transactions,
      audit: services.audit,
      cipher,
      presence,
      logger,
      config,
      clock,
      ...(options.pushAgentOptions ? { pushAgentOptions: options.pushAgentOptions } : {}),
    });
    jobs.background = background;
    return {
      config,
      clock,
      logger,
      metrics,
      database,
      pubSub,
      presence,
      rateLimits,
      tokens,
      sessions,
      revocations,
      cipher,
      dispatcher,
      positionCheck,
      services,
      background,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The pub/sub with each published event counted (careline_events_published_total). */
function countPublished(pubSub: AppPubSub, metrics: Metrics): AppPubSub {
  const publish = pubSub.publish.bind(pubSub);
  return Object.assign(pubSub, {
    publish: async (...args: Parameters<AppPubSub['publish']>) => {
      await publish(...args);
      metrics.eventsPublished.inc();
    },
  });
}
