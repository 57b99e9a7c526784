// Reads an environment with the schema: every variable once, every problem collected, then one
// ConfigError naming them all, or a frozen Config.
import path from 'node:path';
import { NODE_ENV, CONFIG_GROUPS, CONFIG_RULES, completeConfig, configVariables, type Config, type ConfigValues } from './schema';
import type { NodeEnv, ParseContext } from './kinds';
import type { Variable, Variables, ValuesOf } from './variable';

/** Why the process refused to start: every bad variable, named, in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

const REPOSITORY_DIR = path.resolve(__dirname, '..', '..', '..', '..');

/** Parses and validates an environment into a frozen Config, or throws one ConfigError naming every problem. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  // An empty value counts as unset (`FOO= npm start` clears a variable).
  const textOf = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const context: ParseContext = {
    // npm runs workspace scripts inside server/; INIT_CWD is where the user typed the command.
    invocationDir: path.resolve(textOf('INIT_CWD') ?? process.cwd()),
    repositoryDir: REPOSITORY_DIR,
  };

  for (const declared of configVariables()) {
    const former = declared.formerly;
    const formerText = former && textOf(former.name);
    if (former === undefined || formerText === undefined) continue;
    const same =
      former.unit !== undefined && /^\d+$/.test(formerText) ? ` (${declared.name}=${formerText}${former.unit} keeps this setting)` : '';
    problems.push(
      `${former.name} was renamed ${declared.name}: ${declared.form}, like ${declared.default ?? 'the reference shows'}${same}`,
    );
  }

  const readOne = <T>(declared: Variable<T>, nodeEnv: NodeEnv): T => {
    const given = declared.emptyIsValue ? env[declared.name]?.trim() : textOf(declared.name);
    if (given === undefined && declared.requiredInProduction && nodeEnv === 'production') {
      problems.push(`${declared.name} is required when NODE_ENV=production (${declared.form})`);
    }
    const read = declared.read(given, nodeEnv, context);
    if (read.ok) return read.value;
    problems.push(`${declared.name} ${read.reason}${declared.hidden ? '' : ` (got "${given}")`}`);
    return declared.fallback(nodeEnv, context);
  };

  // Read first: other defaults depend on it. A bad NODE_ENV is reported, and development's defaults used.
  const nodeEnv = readOne(NODE_ENV, 'development');
  const readGroup = <V extends Variables>(variables: V): ValuesOf<V> =>
    mapValues(variables, (declared) => (declared === NODE_ENV ? nodeEnv : readOne(declared, nodeEnv)));
  const values: ConfigValues = {
    runtime: readGroup(CONFIG_GROUPS.runtime.variables),
    http: readGroup(CONFIG_GROUPS.http.variables),
    database: readGroup(CONFIG_GROUPS.database.variables),
    redis: readGroup(CONFIG_GROUPS.redis.variables),
    accounts: readGroup(CONFIG_GROUPS.accounts.variables),
    signIn: readGroup(CONFIG_GROUPS.signIn.variables),
    audit: readGroup(CONFIG_GROUPS.audit.variables),
    encryption: readGroup(CONFIG_GROUPS.encryption.variables),
    outbox: readGroup(CONFIG_GROUPS.outbox.variables),
    sockets: readGroup(CONFIG_GROUPS.sockets.variables),
    graphql: readGroup(CONFIG_GROUPS.graphql.variables),
    rateLimits: readGroup(CONFIG_GROUPS.rateLimits.variables),
    mail: readGroup(CONFIG_GROUPS.mail.variables),
    jobs: readGroup(CONFIG_GROUPS.jobs.variables),
    sms: readGroup(CONFIG_GROUPS.sms.variables),
    webhooks: readGroup(CONFIG_GROUPS.webhooks.variables),
    push: readGroup(CONFIG_GROUPS.push.variables),
    practices: readGroup(CONFIG_GROUPS.practices.variables),
    scheduling: readGroup(CONFIG_GROUPS.scheduling.variables),
    bootstrap: readGroup(CONFIG_GROUPS.bootstrap.variables),
    operator: readGroup(CONFIG_GROUPS.operator.variables),
  };

  const isSet = (name: string) => textOf(name) !== undefined;
  for (const rule of CONFIG_RULES) {
    const problem = rule.check(values, isSet);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(completeConfig(values));
}

/** Each variable of a group read to its value, under the same field names. */
function mapValues<V extends Variables>(variables: V, read: (declared: Variable<unknown>) => unknown): ValuesOf<V> {
  // Each value comes from its own variable's read, whose type is the field's: the map keeps it.
  return Object.fromEntries(Object.entries(variables).map(([field, declared]) => [field, read(declared)])) as ValuesOf<V>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
