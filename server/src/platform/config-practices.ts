// The practices half of the configuration (issue 14): invitations, doctor self-registration, and
// the bootstrap of the first practice. Parsed by config.ts with its readers, so every variable
// still fails startup the same way, named in one ConfigError.
import type { EnvReaders } from './config-hardening';
import { isTimeZone } from './time-zones';

/** Each field names its variable, its default and what bad input does. */
export interface PracticesConfig {
  /**
   * INVITATION_TTL: how long an invitation code stays valid, a duration like 7d, 48h; 10m to 90d,
   * default 7d. A code presented after that is FORBIDDEN.
   */
  readonly invitationTtlSeconds: number;
  /**
   * DOCTOR_SELF_REGISTRATION: true/false, default false. True lets anyone register as DOCTOR
   * without an invitation, each in a new one-doctor practice of which they are the admin
   * (sandboxes, tests). False: DOCTOR and STAFF registration needs an invitation code (FORBIDDEN).
   */
  readonly doctorSelfRegistration: boolean;
  /**
   * BOOTSTRAP_PRACTICE_NAME, BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD (all three or none;
   * one or two alone is a ConfigError), BOOTSTRAP_PRACTICE_TIME_ZONE (IANA name, default UTC):
   * at startup, once, the first practice and its STAFF admin. Nothing happens when an account with
   * that email exists. In production the password must be strong (at least 12 characters, three
   * of lower case, upper case, digits and symbols, not containing the email's name); a weak one
   * stops the start.
   */
  readonly bootstrap: BootstrapConfig | undefined;
}

/** The first practice and its admin, from the environment (see Config.bootstrap). */
export interface BootstrapConfig {
  readonly practiceName: string;
  readonly practiceTimeZone: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
}

const DAY = 86400;

export function parsePracticesConfig(env: EnvReaders, production: boolean): PracticesConfig {
  const ttlRaw = env.read('INVITATION_TTL') ?? '7d';
  let invitationTtlSeconds = durationSeconds(ttlRaw);
  if (invitationTtlSeconds === undefined || invitationTtlSeconds < 600 || invitationTtlSeconds > 90 * DAY) {
    env.problem(`INVITATION_TTL must be a duration like 48h or 7d, from 10m to 90d (got "${ttlRaw}")`);
    invitationTtlSeconds = 7 * DAY;
  }
  return {
    invitationTtlSeconds,
    doctorSelfRegistration: env.boolean('DOCTOR_SELF_REGISTRATION', false),
    bootstrap: parseBootstrap(env, production),
  };
}

/** "90s", "15m", "1h", "7d" (or bare seconds) in seconds; undefined when malformed (as config.ts reads durations). */
function durationSeconds(text: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: DAY }[match[2] || 's'] ?? 1;
  return Number(match[1]) * unit;
}

const BOOTSTRAP_VARIABLES = ['BOOTSTRAP_PRACTICE_NAME', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD'] as const;

/** All three bootstrap variables or none; in production a strong password (fails closed). */
function parseBootstrap(env: EnvReaders, production: boolean): BootstrapConfig | undefined {
  const { read } = env;
  const [practiceName, adminEmail, adminPassword] = BOOTSTRAP_VARIABLES.map(read);
  const given = BOOTSTRAP_VARIABLES.filter((name) => read(name) !== undefined);
  if (given.length === 0) return undefined;
  if (practiceName === undefined || adminEmail === undefined || adminPassword === undefined) {
    const missing = BOOTSTRAP_VARIABLES.filter((name) => read(name) === undefined);
    env.problem(`${BOOTSTRAP_VARIABLES.join(', ')} go together: ${given.join(', ')} set but ${missing.join(', ')} missing`);
    return undefined;
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) env.problem('BOOTSTRAP_ADMIN_EMAIL must be an email address');
  const weakness = production ? productionPasswordWeakness(adminPassword, adminEmail) : adminPassword.length < 10 ? 'at least 10 characters' : undefined;
  if (weakness) env.problem(`BOOTSTRAP_ADMIN_PASSWORD is too weak: it needs ${weakness}`);
  const practiceTimeZone = read('BOOTSTRAP_PRACTICE_TIME_ZONE') ?? 'UTC';
  if (!isTimeZone(practiceTimeZone)) env.problem(`BOOTSTRAP_PRACTICE_TIME_ZONE must be an IANA time zone (got "${practiceTimeZone}")`);
  return { practiceName, practiceTimeZone, adminEmail: adminEmail.toLowerCase(), adminPassword };
}

/** Why a password is not good enough for a production admin, or undefined when it is. */
export function productionPasswordWeakness(password: string, email: string): string | undefined {
  if (password.length < 12) return 'at least 12 characters';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((pattern) => pattern.test(password)).length;
  if (classes < 3) return 'three of: lower case, upper case, digits, symbols';
  const name = email.split('@')[0]?.toLowerCase() ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name)) return 'not to contain the email address';
  return undefined;
}
