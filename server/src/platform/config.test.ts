import { ConfigError, parseConfig, parseDurationSeconds } from './config';

const SECRET = 'x'.repeat(32);

describe('parseConfig', () => {
  it('gives the documented defaults for an empty development environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 4000,
      databaseUrl: undefined,
      redisUrl: undefined,
      redisPrefix: 'careline:',
      jwtExpiresInSeconds: 900,
      sessionMaxAgeSeconds: 30 * 86400,
      loginMaxFailuresPerEmail: 10,
      loginMaxFailuresPerAddress: 100,
      loginFailureWindowSeconds: 900,
      auditRetentionSeconds: 6 * 365 * 86400,
      seedDemo: true,
      logLevel: 'info',
      jwtSecretGenerated: true,
    });
    expect(config.dataDir).toMatch(/\.careline[/\\]data$/);
    expect(Buffer.byteLength(config.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses to start in production without JWT_SECRET, naming the variable', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
  });

  it('refuses a JWT_SECRET shorter than 32 bytes in any environment', () => {
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 bytes/);
  });

  it('refuses an AUDIT_RETENTION shorter than 30 days, naming the variable', () => {
    expect(() => parseConfig({ AUDIT_RETENTION: '7d' })).toThrow(/AUDIT_RETENTION must be/);
    expect(parseConfig({ AUDIT_RETENTION: '10y' }).auditRetentionSeconds).toBe(10 * 365 * 86400);
  });

  it('does not seed demo data in production, and refuses to start when asked to (public demo passwords)', () => {
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).seedDemo).toBe(false);
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO: 'true' })).toThrow(
      /SEED_DEMO=true is refused when NODE_ENV=production/,
    );
  });

  it('turns the playground and introspection off in production unless switched on', () => {
    expect(parseConfig({})).toMatchObject({ graphqlPlayground: true, graphqlIntrospection: true });
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET })).toMatchObject({ graphqlPlayground: false, graphqlIntrospection: false });
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, GRAPHQL_PLAYGROUND: 'true' }).graphqlPlayground).toBe(true);
  });

  it('gives the documented operation and rate limits by default', () => {
    expect(parseConfig({})).toMatchObject({
      operationMaxDepth: 10,
      operationMaxCost: 25_000,
      operationMaxListNesting: 3,
      operationMaxAliases: 15,
      operationMaxRootFields: 10,
      operationMaxTokens: 3000,
      operationMaxBytes: 32768,
      trustProxy: false,
      corsOrigins: [],
      wsAllowedOrigins: [],
      rateLimitBookingsPerMinute: 30,
      rateLimitRegistrationsPerHour: 100,
      metricsToken: undefined,
    });
  });

  it.each([
    ['2', 2],
    ['false', false],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['::1', ['::1']],
  ])('reads TRUST_PROXY=%s as express would', (raw, expected) => {
    expect(parseConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([['TRUST_PROXY', 'true'], ['TRUST_PROXY', 'proxy.example.org'], ['CORS_ORIGINS', 'https://a.example/'], ['WS_ALLOWED_ORIGINS', 'ftp://x'], ['METRICS_TOKEN', 'short']])(
    'refuses %s=%s naming the variable',
    (name, raw) => {
      expect(() => parseConfig({ [name]: raw })).toThrow(new RegExp(name));
    },
  );

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

  it('accepts token lifetimes up to 7 days and refuses longer ones (socket expiry timers)', () => {
    expect(parseConfig({ JWT_EXPIRES_IN: '7d' }).jwtExpiresInSeconds).toBe(604800);
    expect(() => parseConfig({ JWT_EXPIRES_IN: '30d' })).toThrow(/JWT_EXPIRES_IN/);
  });

  it('accepts PostgreSQL and Redis URLs and rejects other schemes', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' });
    expect(config.databaseUrl).toBe('postgres://u@h/db');
    expect(config.redisUrl).toBe('redis://h:6379');
    expect(() => parseConfig({ DATABASE_URL: 'mysql://h/db' })).toThrow(/DATABASE_URL/);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '1w', '-5m', '1.5h', 'h'])('rejects %p', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });

  it('defaults invitations to 7 days and doctor self-registration to off, and parses both', () => {
    expect(parseConfig({})).toMatchObject({ invitationTtlSeconds: 7 * 86400, doctorSelfRegistration: false, bootstrap: undefined });
    expect(parseConfig({ INVITATION_TTL: '48h', DOCTOR_SELF_REGISTRATION: 'true' })).toMatchObject({ invitationTtlSeconds: 48 * 3600, doctorSelfRegistration: true });
    expect(() => parseConfig({ INVITATION_TTL: '1m' })).toThrow(/INVITATION_TTL must be a duration/);
  });

  it('takes the three bootstrap variables together or not at all', () => {
    const all = { BOOTSTRAP_PRACTICE_NAME: 'Main St Clinic', BOOTSTRAP_ADMIN_EMAIL: 'Admin@Clinic.example', BOOTSTRAP_ADMIN_PASSWORD: 'long enough pw' };
    expect(parseConfig(all).bootstrap).toEqual({ practiceName: 'Main St Clinic', practiceTimeZone: 'UTC', adminEmail: 'admin@clinic.example', adminPassword: 'long enough pw' });
    expect(() => parseConfig({ BOOTSTRAP_ADMIN_EMAIL: all.BOOTSTRAP_ADMIN_EMAIL })).toThrow(/go together: BOOTSTRAP_ADMIN_EMAIL set but BOOTSTRAP_PRACTICE_NAME, BOOTSTRAP_ADMIN_PASSWORD missing/);
    expect(() => parseConfig({ ...all, BOOTSTRAP_PRACTICE_TIME_ZONE: 'Mars/Base' })).toThrow(/BOOTSTRAP_PRACTICE_TIME_ZONE/);
  });

  it('fails closed in production on a weak bootstrap password, naming the variable but not the password', () => {
    const base = { NODE_ENV: 'production', JWT_SECRET: SECRET, BOOTSTRAP_PRACTICE_NAME: 'Clinic', BOOTSTRAP_ADMIN_EMAIL: 'frontdesk@clinic.example' };
    for (const weak of ['short1A!', 'alllowercaseletters', 'Frontdesk2026!x']) {
      let message = '';
      try {
        parseConfig({ ...base, BOOTSTRAP_ADMIN_PASSWORD: weak });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/BOOTSTRAP_ADMIN_PASSWORD is too weak/);
      expect(message).not.toContain(weak);
    }
    expect(parseConfig({ ...base, BOOTSTRAP_ADMIN_PASSWORD: 'Correct-Horse-42-Staple' }).bootstrap?.adminEmail).toBe('frontdesk@clinic.example');
  });
});
