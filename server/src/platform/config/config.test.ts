import { ConfigError, parseConfig, parseDuration, type Env } from '.';
import { NODE_ENVS, type NodeEnv } from './kinds';
import { configVariables, listConfigVariables } from './schema';

const SECRET = 'x'.repeat(32);
const DATA_KEY = 'ab'.repeat(32);
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY: SECRET, DATA_ENCRYPTION_KEY: DATA_KEY };

/** The problems parseConfig reports for `env` (none: an empty list). */
function problemsOf(env: Env): readonly string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty development environment', () => {
    const config = parseConfig({});
    expect(config.runtime).toMatchObject({ nodeEnv: 'development', logLevel: 'info' });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 4000 });
    expect(config.database.url).toBeUndefined();
    expect(config.redis).toEqual({ url: undefined, clusterNodes: undefined, prefix: 'careline:' });
    expect(config.accounts).toMatchObject({ jwtExpiresInSeconds: 900, sessionMaxAgeSeconds: 30 * 86400, jwtSecretGenerated: true });
    expect(config.signIn).toEqual({ maxFailuresPerEmail: 10, maxFailuresPerAddress: 100, failureWindowSeconds: 900 });
    expect(config.audit.retentionSeconds).toBe(6 * 365 * 86400);
    expect(config.operator.seedDemo).toBe(true);
    expect(config.database.dataDir).toMatch(/\.careline[/\\]data$/);
    expect(Buffer.byteLength(config.accounts.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('freezes every group and list, not only the top', () => {
    const config = parseConfig({ CORS_ORIGINS: 'https://a.example' });
    expect(Object.isFrozen(config.jobs)).toBe(true);
    expect(Object.isFrozen(config.http.corsOrigins)).toBe(true);
  });

  it('refuses to start in production without JWT_SECRET, naming the variable', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
  });

  it('refuses to start in production without AUDIT_KEY, and uses the public development key elsewhere, flagged', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET })).toThrow(/AUDIT_KEY is required when NODE_ENV=production/);
    expect(parseConfig({}).audit).toMatchObject({
      developmentKey: true,
      checkpointFile: expect.stringMatching(/data[/\\]audit-checkpoints\.jsonl$/),
    });
    expect(parseConfig({ AUDIT_KEY: SECRET }).audit).toMatchObject({ key: SECRET, developmentKey: false });
    expect(() => parseConfig({ AUDIT_KEY: 'short' })).toThrow(/AUDIT_KEY must be at least 32 bytes/);
  });

  it('refuses to start in production without DATA_ENCRYPTION_KEY, and uses the public development key elsewhere, flagged', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY: SECRET })).toThrow(
      /DATA_ENCRYPTION_KEY is required when NODE_ENV=production/,
    );
    expect(parseConfig({}).encryption).toMatchObject({
      developmentKey: true,
      key: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousKeys: [],
    });
    expect(parseConfig(PRODUCTION).encryption).toEqual({ key: DATA_KEY, developmentKey: false, previousKeys: [] });
  });

  it('reads a 32-byte data key written as hex or as base64, and refuses any other length or form without repeating it', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    const hex = bytes.toString('hex');
    expect(parseConfig({ DATA_ENCRYPTION_KEY: hex.toUpperCase() }).encryption.key).toBe(hex);
    expect(parseConfig({ DATA_ENCRYPTION_KEY: bytes.toString('base64') }).encryption.key).toBe(hex);
    expect(parseConfig({ DATA_ENCRYPTION_KEY: bytes.toString('base64url') }).encryption.key).toBe(hex);
    const refused = ['ab'.repeat(31), Buffer.alloc(31, 1).toString('base64'), Buffer.alloc(33, 1).toString('base64'), 'not a key!!'];
    for (const key of refused) {
      const problems = problemsOf({ DATA_ENCRYPTION_KEY: key });
      expect(problems).toEqual([expect.stringMatching(/^DATA_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or as base64/)]);
      expect(problems.join('')).not.toContain(key);
    }
  });

  it('reads DATA_ENCRYPTION_PREVIOUS_KEYS as a list in either form, naming a bad key by its position only', () => {
    const one = Buffer.alloc(32, 1);
    const two = Buffer.alloc(32, 2);
    expect(
      parseConfig({ DATA_ENCRYPTION_PREVIOUS_KEYS: `${one.toString('hex')}, ${two.toString('base64')}` }).encryption.previousKeys,
    ).toEqual([one.toString('hex'), two.toString('hex')]);
    const problems = problemsOf({ DATA_ENCRYPTION_PREVIOUS_KEYS: `${one.toString('hex')},short` });
    expect(problems).toEqual([expect.stringMatching(/^DATA_ENCRYPTION_PREVIOUS_KEYS must list keys of 32 bytes .* \(not key 2\)$/)]);
    expect(problems.join('')).not.toContain('short');
  });

  it('refuses a JWT_SECRET shorter than 32 bytes in any environment', () => {
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 bytes/);
  });

  it('never repeats a secret or a URL (it may hold a password) in its message', () => {
    const message = problemsOf({ JWT_SECRET: 'short-secret', DATABASE_URL: 'mysql://user:hunter2@h/db' }).join('\n');
    expect(message).toMatch(/JWT_SECRET/);
    expect(message).toMatch(/DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('hunter2');
  });

  it('refuses an AUDIT_RETENTION shorter than 30 days, naming the variable', () => {
    expect(() => parseConfig({ AUDIT_RETENTION: '7d' })).toThrow(/AUDIT_RETENTION must be/);
    expect(parseConfig({ AUDIT_RETENTION: '10y' }).audit.retentionSeconds).toBe(10 * 365 * 86400);
  });

  it('refuses an http PUBLIC_URL in production unless it names this machine, and trims a trailing slash', () => {
    expect(parseConfig({}).http.publicUrl).toBe('http://localhost:4000');
    expect(parseConfig({ PUBLIC_URL: 'https://clinic.example/' }).http.publicUrl).toBe('https://clinic.example');
    expect(() => parseConfig({ ...PRODUCTION, PUBLIC_URL: 'http://clinic.example' })).toThrow(/PUBLIC_URL must start with https:\/\//);
    expect(parseConfig({ ...PRODUCTION, PUBLIC_URL: 'http://127.0.0.1:4000' }).http.publicUrl).toBe('http://127.0.0.1:4000');
    expect(parseConfig({ ...PRODUCTION, PUBLIC_URL: 'https://clinic.example' }).http.publicUrl).toBe('https://clinic.example');
    expect(parseConfig({ PUBLIC_URL: 'http://clinic.example' }).http.publicUrl).toBe('http://clinic.example');
  });

  it('does not seed demo data in production, and refuses to start when asked to (public demo passwords)', () => {
    expect(parseConfig(PRODUCTION).operator.seedDemo).toBe(false);
    expect(() => parseConfig({ ...PRODUCTION, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO=true is refused when NODE_ENV=production/);
  });

  it("hashes passwords at scrypt's 2^15 by default, refuses less in production and anything outside 10-17", () => {
    expect(parseConfig({}).accounts.passwordHashCost).toBe(15);
    expect(parseConfig({ PASSWORD_HASH_COST: '10' }).accounts.passwordHashCost).toBe(10);
    expect(parseConfig({ ...PRODUCTION, PASSWORD_HASH_COST: '17' }).accounts.passwordHashCost).toBe(17);
    expect(() => parseConfig({ ...PRODUCTION, PASSWORD_HASH_COST: '14' })).toThrow(
      /PASSWORD_HASH_COST=14 is refused when NODE_ENV=production/,
    );
    expect(() => parseConfig({ PASSWORD_HASH_COST: '9' })).toThrow(/PASSWORD_HASH_COST/);
    expect(() => parseConfig({ PASSWORD_HASH_COST: '18' })).toThrow(/PASSWORD_HASH_COST/);
  });

  it('requires MFA of doctors and staff in production by default, of nobody elsewhere, and of nobody when set empty', () => {
    expect(parseConfig({}).accounts.mfaRequiredRoles).toEqual([]);
    expect(parseConfig(PRODUCTION).accounts.mfaRequiredRoles).toEqual(['DOCTOR', 'STAFF']);
    expect(parseConfig({ ...PRODUCTION, MFA_REQUIRED_ROLES: '' }).accounts.mfaRequiredRoles).toEqual([]);
    expect(parseConfig({ MFA_REQUIRED_ROLES: 'STAFF, PATIENT' }).accounts.mfaRequiredRoles).toEqual(['PATIENT', 'STAFF']);
    expect(() => parseConfig({ MFA_REQUIRED_ROLES: 'DOCTOR,ADMIN' })).toThrow(
      /MFA_REQUIRED_ROLES must list only PATIENT, DOCTOR, STAFF \(not "ADMIN"\)/,
    );
  });

  it('turns the playground and introspection off in production unless switched on', () => {
    expect(parseConfig({}).graphql).toMatchObject({ playground: true, introspection: true });
    expect(parseConfig(PRODUCTION).graphql).toMatchObject({ playground: false, introspection: false });
    expect(parseConfig({ ...PRODUCTION, GRAPHQL_PLAYGROUND: 'true' }).graphql.playground).toBe(true);
  });

  it('gives the documented operation and rate limits by default', () => {
    const config = parseConfig({});
    expect(config.graphql).toMatchObject({
      maxDepth: 10,
      maxCost: 25_000,
      maxListNesting: 3,
      maxAliases: 15,
      maxRootFields: 10,
      maxTokens: 3000,
      maxBytes: 32768,
    });
    expect(config.http).toMatchObject({ trustProxy: false, corsOrigins: [] });
    expect(config.sockets.allowedOrigins).toEqual([]);
    expect(config.rateLimits).toMatchObject({ bookingsPerMinute: 30, registrationsPerHour: 100 });
    expect(config.operator.metricsToken).toBeUndefined();
  });

  it.each([
    ['2', 2],
    ['false', false],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['::1', ['::1']],
  ])('reads TRUST_PROXY=%s as express would', (raw, expected) => {
    expect(parseConfig({ TRUST_PROXY: raw }).http.trustProxy).toEqual(expected);
  });

  it.each([
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', 'proxy.example.org'],
    ['CORS_ORIGINS', 'https://a.example/'],
    ['WS_ALLOWED_ORIGINS', 'ftp://x'],
    ['METRICS_TOKEN', 'short'],
  ])('refuses %s=%s naming the variable', (name, raw) => {
    expect(() => parseConfig({ [name]: raw })).toThrow(new RegExp(name));
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: '99999', REDIS_URL: 'http://x', JWT_EXPIRES_IN: 'forever', SEED_DEMO: 'maybe', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'REDIS_URL', 'JWT_EXPIRES_IN', 'SEED_DEMO', 'LOG_LEVEL']) expect(problems).toContain(name);
  });

  it('names the accepted form and range in each message', () => {
    expect(problemsOf({ PORT: '99999' })).toEqual(['PORT must be a whole number from 0 to 65535 (got "99999")']);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(problemsOf({ DAILY_AGENDA_TIME: '7am' })).toEqual(['DAILY_AGENDA_TIME must be HH:MM from 00:00 to 23:59 (got "7am")']);
  });

  it('accepts token lifetimes up to 7 days and refuses longer ones (socket expiry timers)', () => {
    expect(parseConfig({ JWT_EXPIRES_IN: '7d' }).accounts.jwtExpiresInSeconds).toBe(604800);
    expect(() => parseConfig({ JWT_EXPIRES_IN: '30d' })).toThrow(/JWT_EXPIRES_IN/);
  });

  it('takes DATABASE_REPLICA_URL with DATABASE_URL only: the embedded database has no replica', () => {
    const primary = 'postgres://app@db-primary:5432/careline';
    const replica = 'postgres://app@db-replica:5432/careline';
    expect(parseConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: replica }).database.replicaUrl).toBe(replica);
    expect(parseConfig({ DATABASE_URL: primary }).database.replicaUrl).toBeUndefined();
    expect(() => parseConfig({ DATABASE_REPLICA_URL: replica })).toThrow(/DATABASE_REPLICA_URL is set but DATABASE_URL is not/);
    expect(() => parseConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mysql://db-replica/careline' })).toThrow(
      /DATABASE_REPLICA_URL/,
    );
  });

  it('accepts PostgreSQL and Redis URLs and rejects other schemes', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' });
    expect(config.database.url).toBe('postgres://u@h/db');
    expect(config.redis.url).toBe('redis://h:6379');
    expect(() => parseConfig({ DATABASE_URL: 'mysql://h/db' })).toThrow(/DATABASE_URL/);
  });

  it('takes an empty value as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_URL: ' ' })).toMatchObject({ http: { port: 4000 }, database: { url: undefined } });
  });

  it('defaults invitations to 7 days and doctor self-registration to off, and parses both', () => {
    expect(parseConfig({}).practices).toEqual({ invitationTtlSeconds: 7 * 86400, doctorSelfRegistration: false });
    expect(parseConfig({}).bootstrap).toBeUndefined();
    expect(parseConfig({ INVITATION_TTL: '48h', DOCTOR_SELF_REGISTRATION: 'true' }).practices).toEqual({
      invitationTtlSeconds: 48 * 3600,
      doctorSelfRegistration: true,
    });
    expect(() => parseConfig({ INVITATION_TTL: '1m' })).toThrow(/INVITATION_TTL must be a duration/);
  });

  it('turns push on with the three VAPID variables together, and stops on one or two, or on keys that do not match', () => {
    const all = {
      VAPID_PUBLIC_KEY: 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
      VAPID_PRIVATE_KEY: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
      VAPID_SUBJECT: 'mailto:ops@clinic.example',
    };
    expect(parseConfig({}).push.vapid).toBeUndefined();
    expect(parseConfig(all).push.vapid).toEqual({
      publicKey: all.VAPID_PUBLIC_KEY,
      privateKey: all.VAPID_PRIVATE_KEY,
      subject: all.VAPID_SUBJECT,
    });
    expect(parseConfig({ ...PRODUCTION, ...all }).push.vapid?.subject).toBe(all.VAPID_SUBJECT);
    expect(() => parseConfig({ ...PRODUCTION, VAPID_PUBLIC_KEY: all.VAPID_PUBLIC_KEY })).toThrow(
      /go together: VAPID_PUBLIC_KEY set but VAPID_PRIVATE_KEY, VAPID_SUBJECT missing/,
    );
    expect(() => parseConfig({ ...all, VAPID_PRIVATE_KEY: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94' })).toThrow(
      /VAPID_PRIVATE_KEY is not the private key of VAPID_PUBLIC_KEY/,
    );
    expect(() => parseConfig({ ...all, VAPID_SUBJECT: 'ops@clinic.example' })).toThrow(/VAPID_SUBJECT must be a `mailto:` or `https:` URL/);
    let message = '';
    try {
      parseConfig({ ...all, VAPID_PRIVATE_KEY: 'not-a-key!' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/VAPID_PRIVATE_KEY must be 32 bytes/);
    expect(message).not.toContain('not-a-key!');
  });

  it('takes the three bootstrap variables together or not at all', () => {
    const all = {
      BOOTSTRAP_PRACTICE_NAME: 'Main St Clinic',
      BOOTSTRAP_ADMIN_EMAIL: 'Admin@Clinic.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'long enough password',
    };
    expect(parseConfig(all).bootstrap).toEqual({
      practiceName: 'Main St Clinic',
      practiceTimeZone: 'UTC',
      adminEmail: 'admin@clinic.example',
      adminPassword: 'long enough password',
    });
    expect(() => parseConfig({ BOOTSTRAP_ADMIN_EMAIL: all.BOOTSTRAP_ADMIN_EMAIL })).toThrow(
      /go together: BOOTSTRAP_ADMIN_EMAIL set but BOOTSTRAP_PRACTICE_NAME, BOOTSTRAP_ADMIN_PASSWORD missing/,
    );
    expect(() => parseConfig({ ...all, BOOTSTRAP_PRACTICE_TIME_ZONE: 'Mars/Base' })).toThrow(/BOOTSTRAP_PRACTICE_TIME_ZONE/);
    expect(() => parseConfig({ ...all, BOOTSTRAP_ADMIN_PASSWORD: 'short' })).toThrow(
      /BOOTSTRAP_ADMIN_PASSWORD is too weak: it needs at least 12 characters/,
    );
  });

  it('fails closed on a bootstrap password shorter than PASSWORD_MIN_LENGTH, naming the variable but not the password', () => {
    const base = { ...PRODUCTION, BOOTSTRAP_PRACTICE_NAME: 'Clinic', BOOTSTRAP_ADMIN_EMAIL: 'frontdesk@clinic.example' };
    let message = '';
    try {
      parseConfig({ ...base, BOOTSTRAP_ADMIN_PASSWORD: 'short1A!xyz', PASSWORD_MIN_LENGTH: '12' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/BOOTSTRAP_ADMIN_PASSWORD is too weak: it needs at least 12 characters/);
    expect(message).not.toContain('short1A!xyz');
    expect(parseConfig({ ...base, BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple' }).bootstrap?.adminEmail).toBe(
      'frontdesk@clinic.example',
    );
    expect(parseConfig({}).accounts.passwordMinLength).toBe(12);
  });

  it('requires MAIL_FROM in production when SMTP_URL is set, and only then', () => {
    expect(() => parseConfig({ ...PRODUCTION, SMTP_URL: 'smtp://relay.example:25' })).toThrow(
      /MAIL_FROM is required when NODE_ENV=production and SMTP_URL is set/,
    );
    expect(
      parseConfig({ ...PRODUCTION, SMTP_URL: 'smtp://relay.example:25', MAIL_FROM: 'Clinic <no-reply@clinic.example>' }).mail.from,
    ).toBe('Clinic <no-reply@clinic.example>');
    expect(parseConfig({ SMTP_URL: 'smtp://relay.example:25' }).mail.from).toBe('CareLine <no-reply@careline.invalid>');
    expect(parseConfig(PRODUCTION).mail.smtpUrl).toBeUndefined();
  });

  it('listens on every interface and refuses private webhook targets in production by default', () => {
    expect(parseConfig(PRODUCTION).http.host).toBe('0.0.0.0');
    expect(parseConfig(PRODUCTION).webhooks.allowPrivate).toBe(false);
    expect(parseConfig({}).webhooks.allowPrivate).toBe(true);
    expect(parseConfig({ NODE_ENV: 'test' }).webhooks.allowPrivate).toBe(false);
    expect(parseConfig({ NODE_ENV: 'test' }).runtime.logLevel).toBe('warn');
  });

  it('writes mail files under DATA_DIR/mail when SMTP_URL is unset', () => {
    expect(parseConfig({ DATA_DIR: '/srv/careline' }).mail.dir).toBe('/srv/careline/mail');
  });

  it('resolves a relative DATA_DIR from where the command was started (npm sets INIT_CWD)', () => {
    expect(parseConfig({ INIT_CWD: '/home/clinic', DATA_DIR: 'data' }).database.dataDir).toBe('/home/clinic/data');
  });
});

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['6y', 6 * 365 * 86_400_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '90', '1w', '-5m', '1.5h', 'h', '15 m', '15M'])('rejects %p (a whole number and a unit, nothing else)', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('reads each unit in a variable, in the unit its field names', () => {
    expect(parseConfig({ HTTP_QUEUE_TIMEOUT: '150ms' }).http.queueTimeoutMs).toBe(150);
    expect(parseConfig({ SHUTDOWN_TIMEOUT: '30s' }).runtime.shutdownTimeoutMs).toBe(30_000);
    expect(parseConfig({ JOB_POLL_INTERVAL: '2m' }).jobs.pollIntervalMs).toBe(120_000);
    expect(parseConfig({ SESSION_MAX_AGE: '12h' }).accounts.sessionMaxAgeSeconds).toBe(12 * 3600);
    expect(parseConfig({ EVENT_RETENTION: '30d' }).outbox.eventRetentionSeconds).toBe(30 * 86400);
    expect(parseConfig({ AUDIT_RETENTION: '1y' }).audit.retentionSeconds).toBe(365 * 86400);
    expect(parseConfig({ JWT_EXPIRES_IN: '90000ms' }).accounts.jwtExpiresInSeconds).toBe(90);
  });

  it('refuses a bare number, saying the unit is required', () => {
    expect(problemsOf({ JWT_EXPIRES_IN: '900' })).toEqual([
      'JWT_EXPIRES_IN must be a duration from 10s to 7d, written as a whole number and a unit (ms, s, m, h, d, y), like 10s: the unit is required (got "900")',
    ]);
  });

  it('refuses a duration out of range, naming the range', () => {
    expect(problemsOf({ OUTBOX_SWEEP_INTERVAL: '10ms' })).toEqual([
      'OUTBOX_SWEEP_INTERVAL must be a duration from 50ms to 10m (got "10ms")',
    ]);
    expect(problemsOf({ WEBHOOK_RETRY_WINDOW: '31d' })).toEqual(['WEBHOOK_RETRY_WINDOW must be a duration from 1m to 30d (got "31d")']);
  });

  it('refuses a part of a second where the field holds whole seconds', () => {
    expect(problemsOf({ JWT_EXPIRES_IN: '10500ms' })).toEqual([
      'JWT_EXPIRES_IN must be a duration of whole seconds from 10s to 7d (got "10500ms")',
    ]);
  });
});

describe('renamed variables', () => {
  it.each([
    ['OUTBOX_SWEEP_INTERVAL_MS', 'OUTBOX_SWEEP_INTERVAL'],
    ['SHUTDOWN_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT'],
    ['HTTP_QUEUE_TIMEOUT_MS', 'HTTP_QUEUE_TIMEOUT'],
    ['JOB_POLL_INTERVAL_MS', 'JOB_POLL_INTERVAL'],
  ])('refuses to start with %s set, naming %s and the same setting in its form', (old, current) => {
    const problems = problemsOf({ [old]: '1500' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${old} was renamed ${current}: a duration from \\S+ to \\S+, like \\S+ \\(${current}=1500ms keeps this setting\\)$`),
    );
  });

  it('names the new variable, its form and its default when the old value is not a number', () => {
    expect(problemsOf({ OUTBOX_SWEEP_INTERVAL_MS: 'soon' })).toEqual([
      'OUTBOX_SWEEP_INTERVAL_MS was renamed OUTBOX_SWEEP_INTERVAL: a duration from 50ms to 10m, like 1s',
    ]);
  });

  it('lists only current names', () => {
    const names = listConfigVariables();
    for (const old of ['OUTBOX_SWEEP_INTERVAL_MS', 'SHUTDOWN_TIMEOUT_MS', 'HTTP_QUEUE_TIMEOUT_MS', 'JOB_POLL_INTERVAL_MS'])
      expect(names).not.toContain(old);
    expect(names).toEqual(
      expect.arrayContaining(['OUTBOX_SWEEP_INTERVAL', 'SHUTDOWN_TIMEOUT', 'HTTP_QUEUE_TIMEOUT', 'JOB_POLL_INTERVAL', 'DEBUG_ENDPOINTS']),
    );
  });
});

describe('the schema', () => {
  it('declares each variable once, and no old name is a current one', () => {
    const names = listConfigVariables();
    expect(new Set(names).size).toBe(names.length);
    const formerNames = configVariables().flatMap((declared) => (declared.formerly ? [declared.formerly.name] : []));
    for (const old of formerNames) expect(names).not.toContain(old);
  });

  it('describes every variable, and gives each a default or says what unset means', () => {
    for (const declared of configVariables()) {
      expect(declared.description.length).toBeGreaterThan(10);
      expect(declared.default !== undefined || declared.unset !== undefined).toBe(true);
    }
  });

  it.each(NODE_ENVS)(
    'takes every default from the schema alone: under %s, each default written out reads as leaving it unset',
    (nodeEnv: NodeEnv) => {
      const base = nodeEnv === 'production' ? PRODUCTION : { NODE_ENV: nodeEnv, JWT_SECRET: SECRET };
      const writtenOut: Record<string, string> = { ...base };
      for (const declared of configVariables()) {
        const text = declared.defaultFor(nodeEnv);
        if (text !== undefined && declared.name !== 'NODE_ENV') writtenOut[declared.name] = text;
      }
      expect(parseConfig(writtenOut)).toEqual(parseConfig(base));
    },
  );
});
