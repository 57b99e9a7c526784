// The operator's command for installations where the environment is not the place for accounts:
//   npm run admin -- create-practice --name "Main St Clinic" --time-zone Europe/Paris --admin-email a@b.c [--admin-name N] [--password-stdin]
//   npm run admin -- list-practices
//   npm run admin -- invite --practice <id> --email d@b.c --role DOCTOR|STAFF [--admin]
//   npm run admin -- remove-member --practice <id> --user <id>
//   npm run admin -- revoke-invitation --invitation <id>
//   npm run admin -- reset-mfa --user <id>   (a lost authenticator: MFA off, every session ended)
//   npm run admin -- create-app-role <name>   (PostgreSQL: as the owner, MIGRATION_DATABASE_URL or DATABASE_URL)
//   npm run admin -- reseal-secrets           (after a DATA_ENCRYPTION_KEY rotation: seal stored secrets under the new key)
//   npm run admin -- rotate-oauth-key         (a new signing key for third-party apps' tokens; running servers pick it up)
//   npm run admin -- vapid-keys               (a new VAPID key pair for Web Push, printed as VAPID_PUBLIC_KEY=... lines; needs no database)
// It uses DATABASE_URL, or the embedded database in DATA_DIR (which it locks: while a server holds
// that folder it refuses, saying so). Without --password-stdin, create-practice prints an admin
// invitation code instead of taking a password (never pass a password as an argument: ps shows it).
// It is an instance of CareLine without its network side (core.ts, as the server's): its writes
// are the server's, events go to the outbox only (OUTBOX_PROMPT_DISPATCH off: the servers' sweep
// publishes them), and an invitation's mail is a job that a running server's worker sends.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createCore, type Core } from '../core';
import { Role } from '../generated/prisma/enums';
import { ConfigError, parseConfig, type Config } from '../platform/config';
import { createAppRole } from '../platform/app-role';
import { isPublicError } from '../platform/errors';
import { createLogger, type Logger } from '../platform/logger';
import { runMigrations } from '../platform/migrations';
import { hasRedis } from '../platform/redis';
import { createRevocationChannel } from '../accounts/revocation-channel';
import { internalRequest } from '../accounts/request-meta';
import { OPERATOR_ROLE } from '../audit/security-events';
import type { Services } from '../services';
import { resealWebhookSecrets } from '../features/webhooks/webhook-secrets';
import { resealSecondFactorSecrets } from '../accounts/second-factor';
import { KEY_RELOAD_INTERVAL_MS, RETIRED_KEY_PUBLISHED_MS, rotateSigningKeys } from '../features/apps/oauth-keys';
import { generateVapidKeys } from '../outbound/push-sender';

const USAGE = `usage: npm run admin -- <verb> [options]
  create-practice --name <name> --time-zone <IANA zone> --admin-email <email> [--admin-name <name>] [--password-stdin]
  list-practices
  invite --practice <id> --email <email> --role DOCTOR|STAFF|PATIENT [--admin]
  remove-member --practice <id> --user <user id>
  revoke-invitation --invitation <id>
  reset-mfa --user <user id>
  create-app-role <name>
  reseal-secrets
  rotate-oauth-key
  vapid-keys`;

class UsageError extends Error {}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The operator in security events: no account, this process as the request. */
const OPERATOR = { userId: null, role: OPERATOR_ROLE, request: internalRequest() };

async function run(
  verb: string,
  args: string[],
  services: Services,
  out: (line: string) => void,
  announce: (sessionIds: readonly string[]) => Promise<void>,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      practice: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      admin: { type: 'boolean' },
      user: { type: 'string' },
      invitation: { type: 'string' },
    },
    strict: true,
  });
  if (verb === 'list-practices') {
    for (const practice of await services.practices.listPractices()) {
      out(
        `${practice.id}  ${practice.name}  (${practice.timeZone})  doctors: ${practice.doctors}  staff: ${practice.staff}  admins: ${practice.admins.join(', ') || '-'}`,
      );
    }
    return;
  }
  if (verb === 'create-practice') {
    const name = required(values, 'name');
    const timeZone = required(values, 'time-zone');
    const adminEmail = required(values, 'admin-email');
    if (values['password-stdin']) {
      const adminPassword = await readStdin();
      const { practice } = await services.practices.createPracticeWithAdmin({
        name,
        timeZone,
        adminEmail,
        adminName: values['admin-name'],
        adminPassword,
      });
      out(`created practice ${practice.id} "${practice.name}" with its STAFF admin ${adminEmail.toLowerCase()}`);
      return;
    }
    const practice = await services.practices.createPracticeAlone(name, timeZone);
    const invitation = await services.invitations.issue(OPERATOR, {
      practiceId: practice.id,
      role: Role.STAFF,
      email: adminEmail,
      admin: true,
    });
    out(`created practice ${practice.id} "${practice.name}"`);
    out(`admin invitation for ${invitation.email} (STAFF, admin), valid until ${invitation.expiresAt.toISOString()}:`);
    out(`  code: ${invitation.code ?? ''}`);
    out('Register with role STAFF, this email and this code; the code is shown only now.');
    return;
  }
  if (verb === 'invite') {
    const role = required(values, 'role').toUpperCase();
    if (role !== Role.DOCTOR && role !== Role.STAFF && role !== Role.PATIENT)
      throw new UsageError('--role must be DOCTOR, STAFF or PATIENT');
    const practiceId = required(values, 'practice');
    if (!(await services.practices.listPractices()).some((practice) => practice.id === practiceId))
      throw new UsageError(`no practice with id ${practiceId} (see list-practices)`);
    const invitation = await services.invitations.issue(OPERATOR, {
      practiceId,
      role,
      email: required(values, 'email'),
      admin: values.admin ?? false,
    });
    out(
      `invitation for ${invitation.email} (${invitation.role}${invitation.admin ? ', admin' : ''}), valid until ${invitation.expiresAt.toISOString()}:`,
    );
    out(`  code: ${invitation.code ?? ''}`);
    return;
  }
  if (verb === 'remove-member') {
    const practiceId = required(values, 'practice');
    const userId = required(values, 'user');
    const { revokedSessionIds } = await services.memberRemoval.remove(OPERATOR, practiceId, userId);
    // This command has no Redis of its own (see main): running servers hear of the revoked sessions here.
    await announce(revokedSessionIds);
    out(`removed ${userId} from practice ${practiceId}: account deactivated, ${revokedSessionIds.length} session(s) ended`);
    return;
  }
  if (verb === 'revoke-invitation') {
    const id = required(values, 'invitation');
    await services.invitations.revoke(OPERATOR, id);
    out(`invitation ${id} revoked: its code no longer works`);
    return;
  }
  if (verb === 'reset-mfa') {
    const userId = required(values, 'user');
    const { revokedSessionIds } = await services.mfa.resetByOperator(OPERATOR, userId);
    await announce(revokedSessionIds);
    out(
      `two-step sign-in of ${userId} reset: ${revokedSessionIds.length} session(s) ended; they sign in with their password and enroll again`,
    );
    return;
  }
  throw new UsageError(`unknown verb "${verb}"`);
}

/**
 * Tells the running servers (over Redis's revocation channel, when there is one) that these
 * sessions were revoked, so they close their sockets at once rather than when their session cache
 * next asks the database. Without Redis the servers are one process that reads the database.
 */
async function announceRevoked(redis: Config['redis'], logger: Logger, sessionIds: readonly string[]): Promise<void> {
  if (!hasRedis(redis) || sessionIds.length === 0) return;
  const channel = createRevocationChannel(redis, logger);
  try {
    await channel.publish(sessionIds);
  } finally {
    await channel.close();
  }
}

async function main(): Promise<number> {
  const [verb, ...args] = process.argv.slice(2);
  if (!verb || verb === '--help' || verb === 'help') {
    console.log(USAGE);
    return verb ? 0 : 2;
  }
  if (verb === 'vapid-keys') return printVapidKeys(args);
  let config: Config;
  let parsedRedis: Config['redis'];
  try {
    const parsed = parseConfig(process.env);
    parsedRedis = parsed.redis;
    // In memory (no Redis): this command publishes nothing and signs nobody in.
    config = {
      ...parsed,
      redis: { ...parsed.redis, url: undefined, clusterNodes: undefined },
      outbox: { ...parsed.outbox, promptDispatch: false },
      operator: { ...parsed.operator, seedDemo: false },
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const logger = createLogger({ logLevel: config.runtime.logLevel === 'info' ? 'warn' : config.runtime.logLevel });
  if (verb === 'create-app-role') return setUpAppRole(config, args, logger);
  let core: Core;
  try {
    core = await createCore(config, { logger });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      /in use by another CareLine process/.test(message)
        ? `${message}\nThe running server holds the embedded database: stop it first, then run this command again.`
        : message,
    );
    return 1;
  }
  if (verb === 'reseal-secrets') {
    try {
      return await resealSecrets(core, args);
    } finally {
      await core.close();
    }
  }
  if (verb === 'rotate-oauth-key') {
    try {
      return await rotateOAuthKey(core, args, parsedRedis, logger);
    } finally {
      await core.close();
    }
  }
  try {
    await run(
      verb,
      args,
      core.services,
      (line) => console.log(line),
      (ids) => announceRevoked(parsedRedis, logger, ids),
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (isPublicError(error)) {
      console.error(`${String(error.extensions['code'])}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await core.close();
  }
}

/**
 * vapid-keys: a new P-256 key pair for Web Push, as the environment takes it. Reads no
 * configuration and opens no database. The private key goes to stdout only: put it in the
 * secret store, not in a shell history.
 */
function printVapidKeys(args: string[]): number {
  if (args.length > 0) {
    console.error(`vapid-keys takes no argument\n${USAGE}`);
    return 2;
  }
  const keys = generateVapidKeys();
  console.log(`VAPID_PUBLIC_KEY=${keys.publicKey}`);
  console.log(`VAPID_PRIVATE_KEY=${keys.privateKey}`);
  console.log('VAPID_SUBJECT=mailto:you@your-clinic.example');
  return 0;
}

/**
 * reseal-secrets: seals under DATA_ENCRYPTION_KEY every stored secret still in plaintext or under a
 * previous key (as each server start does). Exit 1 when some secret no key opens: the old key
 * must stay in DATA_ENCRYPTION_PREVIOUS_KEYS until this exits 0.
 */
async function resealSecrets(core: Core, args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(`reseal-secrets takes no argument\n${USAGE}`);
    return 2;
  }
  const outcome = await resealWebhookSecrets(core.database.sql, core.cipher);
  const totp = await resealSecondFactorSecrets(core.database.sql, core.cipher);
  console.log(`webhook secrets: ${outcome.resealed} re-sealed under the current key`);
  console.log(`TOTP secrets: ${totp.resealed} re-sealed under the current key`);
  if (outcome.unreadable.length === 0 && totp.unreadable.length === 0) {
    console.log('every webhook and TOTP secret is sealed under DATA_ENCRYPTION_KEY: no previous key is needed for them');
    return 0;
  }
  if (outcome.unreadable.length > 0)
    console.error(
      `${outcome.unreadable.length} webhook secret(s) no key opens (endpoints ${outcome.unreadable.join(', ')}): set the key that sealed them in DATA_ENCRYPTION_PREVIOUS_KEYS, or rotate those endpoints' secrets`,
    );
  if (totp.unreadable.length > 0)
    console.error(
      `${totp.unreadable.length} TOTP secret(s) no key opens (accounts ${totp.unreadable.join(', ')}): set the key that sealed them in DATA_ENCRYPTION_PREVIOUS_KEYS, or reset-mfa those accounts`,
    );
  return 1;
}

/**
 * rotate-oauth-key: a new signing key for the OpenID Connect provider becomes current; the previous
 * one stays published in the JWKS until what it signed has expired, then a later rotation drops it
 * (features/apps/oauth-keys.ts). Running servers are told over the revocation channel and read the
 * keys again (within KEY_RELOAD_INTERVAL_MS without Redis): no restart.
 */
async function rotateOAuthKey(core: Core, args: string[], redis: Config['redis'], logger: Logger): Promise<number> {
  if (args.length > 0) {
    console.error(`rotate-oauth-key takes no argument\n${USAGE}`);
    return 2;
  }
  const { current, retired, dropped } = await rotateSigningKeys(core.database.sql, core.cipher, core.clock);
  console.log(`oauth signing key ${current} is now current`);
  if (retired.length > 0)
    console.log(
      `retired ${retired.join(', ')}: still published in the JWKS for ${RETIRED_KEY_PUBLISHED_MS / 60_000} minutes, so tokens it signed keep verifying`,
    );
  if (dropped.length > 0) console.log(`dropped ${dropped.join(', ')} (retired long enough ago that nothing it signed is still valid)`);
  // Every running server reads the keys again at once (over REDIS_URL), or within a minute (KEY_RELOAD_INTERVAL_MS).
  if (redis.url) {
    const channel = createRevocationChannel(redis, logger);
    try {
      await channel.publishSigningKeysRotated();
    } finally {
      await channel.close();
    }
  }
  console.log(
    redis.url
      ? 'the running servers were told: they sign with the new key from now on (no restart needed)'
      : `the running servers sign with the new key within ${KEY_RELOAD_INTERVAL_MS / 1000} s (no restart needed)`,
  );
  return 0;
}

/**
 * create-app-role <name>: as the tables' owner (MIGRATION_DATABASE_URL, else DATABASE_URL), applies
 * pending migrations and makes <name> the restricted role the server runs as (platform/app-role.ts).
 */
async function setUpAppRole(config: Config, args: string[], logger: ReturnType<typeof createLogger>): Promise<number> {
  const [name, ...rest] = args;
  const ownerUrl = config.database.migrationUrl ?? config.database.url;
  if (!name || rest.length > 0) {
    console.error(`create-app-role takes one role name\n${USAGE}`);
    return 2;
  }
  if (!ownerUrl) {
    console.error('create-app-role needs PostgreSQL: set DATABASE_URL (and MIGRATION_DATABASE_URL to the owner, if DATABASE_URL is not)');
    return 1;
  }
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const session = {
      query: async <Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
        (await client.query<Row>(sql, params ? [...params] : undefined)).rows,
      exec: async (script: string) => {
        await client.query(script);
      },
    };
    await runMigrations(session, logger);
    const result = await createAppRole(session, name);
    console.log(
      `${result.created ? 'created' : 'updated'} role ${name}: every table, but audit rows only read and appended; retention through audit_prune`,
    );
    if (result.created) console.log(`set its password as the owner: ALTER ROLE ${name} PASSWORD '…';`);
    if (!result.parameterLoggingOff) {
      console.log(`as a superuser, also run: ALTER ROLE ${name} SET log_parameter_max_length = 0; (AUDIT_KEY is a bound parameter)`);
    }
    console.log(`then run the server with DATABASE_URL as ${name} and MIGRATION_DATABASE_URL as the owner`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
