// npm run check: the docs quote only what exists. In every Markdown file of the repository (the
// CHANGELOG excepted: it is history), every file path quoted in backticks or linked must exist, and
// every environment-variable-like name in backticks (`JOB_CONCURRENCY`, `SMTP_URL=...`) must be a
// configuration variable (server/src/platform/config/schema.ts; a renamed one's former name only in
// the generated reference, which says so) or another name the code knows (an error code, a GraphQL enum value, a
// constant of the code, a variable of the tests, the bench or Node itself). A path git ignores is
// an output (test screenshots, the built client) and is not required to exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../platform/errors';
import { configVariables } from '../platform/config/schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Upper-case names that are not configuration but appear in the docs, each with where it comes from. */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  NODE_EXTRA_CA_CERTS: 'Node.js',
  NODE_OPTIONS: 'Node.js',
  INIT_CWD: 'npm',
  CI: 'the CI runner',
  TEST_POSTGRES_URL: 'server/test/helpers/test-env.ts',
  TEST_REDIS_URL: 'server/test/helpers/test-env.ts',
  OAUTH_TRANSCRIPT: 'server/test/e2e/oauth-flow.test.ts (where to write the flow transcript)',
  BENCH_POSTGRES_URL: 'bench/src/support/database.ts',
  BENCH_REDIS_URL: 'bench/src/targets.ts',
  BENCH_SERVER_DIR: 'bench/src/targets.ts',
  BENCH_STATEMENTS_FILE: 'bench/src/support/count-statements.cjs',
  GRAPHQL_PARSE_FAILED: 'Apollo Server',
  GRAPHQL_VALIDATION_FAILED: 'Apollo Server',
  ROUNDS: 'bench/delivery scripts',
  EVENTS: 'bench/delivery scripts',
  OUTAGE_SECONDS: 'bench/delivery scripts',
  WEBHOOKS: 'bench/delivery scripts',
};

export interface DocProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The former names of renamed variables: only the generated reference (which says so) quotes them. */
export function formerNames(): Map<string, string> {
  return new Map(configVariables().flatMap((declared) => (declared.formerly ? [[declared.formerly.name, declared.name] as const] : [])));
}

/**
 * The names a doc may quote in upper case: configuration, error codes, the GraphQL schema's enum values, the code's upper-case constants
 * (`sources`: the text of its TypeScript files), and OTHER_NAMES.
 */
export function knownNames(schemaText: string, sources: readonly string[]): Set<string> {
  const names = new Set<string>([...Object.values(ErrorCode), ...Object.keys(OTHER_NAMES)]);
  for (const declared of configVariables()) names.add(declared.name);
  for (const match of schemaText.matchAll(/^enum\s+\w+\s*\{([^}]*)\}/gm)) {
    for (const value of (match[1] ?? '').split(/\s+/)) if (/^[A-Z][A-Z0-9_]*$/.test(value)) names.add(value);
  }
  for (const source of sources) for (const match of source.matchAll(/\bconst\s+([A-Z][A-Z0-9_]*)\b/g)) names.add(match[1] ?? '');
  return names;
}

const FILE_EXTENSION = /\.(ts|tsx|js|cjs|mjs|json|md|sql|prisma|graphql|sh|yml|yaml|svg|png|html|css)$/;
/** A bare file name (no folder) counts as a path only with one of these: `express.json` is a function. */
const SOURCE_EXTENSION = /\.(ts|tsx|cjs|mjs|md|sql|prisma|graphql|sh)$/;

/** Whether a backticked text is meant as a path of this repository (not a route, a glob, a command or an extension). */
function looksLikePath(text: string): boolean {
  if (/[\s*<>{}$?=]|^\/|^\.[a-z]+$|^https?:|^~|\.\.\.|^-/.test(text)) return false;
  if (!text.includes('/')) return SOURCE_EXTENSION.test(text);
  return /^[\w.@-]+(\/[\w.@-]+)+\/?$/.test(text) && (FILE_EXTENSION.test(text) || text.endsWith('/'));
}

/**
 * The problems of one Markdown file. `exists` answers for repository-relative paths; `basenames`
 * holds every tracked file's name (a bare `outbox.ts` in prose is found by its name).
 */
export function checkMarkdown(
  file: string,
  text: string,
  known: ReadonlySet<string>,
  exists: (repoPath: string) => boolean,
  basenames: ReadonlySet<string>,
  ignored: (repoPath: string) => boolean = () => false,
  renamed: ReadonlyMap<string, string> = new Map(),
): DocProblem[] {
  const problems: DocProblem[] = [];
  const dir = path.posix.dirname(file);
  const lines = text.split('\n');
  let fenced = false;
  const resolves = (quoted: string, relativeToDoc: boolean): boolean => {
    const clean = quoted.replace(/#.*$/, '').replace(/\/$/, '');
    if (clean === '') return true;
    const fromDoc = path.posix.normalize(path.posix.join(dir, clean));
    // The public contract and other material of the workplace sit beside the repository, not in it.
    if (fromDoc.startsWith('../')) return true;
    if (exists(fromDoc) || ignored(fromDoc)) return true;
    if (relativeToDoc) return false;
    if (exists(clean) || exists(`server/src/${clean}`) || exists(`server/${clean}`) || ignored(clean)) return true;
    return !clean.includes('/') && basenames.has(clean);
  };
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    const report = (message: string) => problems.push({ file, line: index + 1, message });
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      if (!resolves(target, true)) report(`links to ${target}, which does not exist`);
    }
    for (const match of line.matchAll(/`([^`\n]+)`/g)) {
      const quoted = (match[1] ?? '').trim();
      const variable = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,})(?:=.*)?$/.exec(quoted);
      if (variable) {
        const name = variable[1] ?? '';
        const current = renamed.get(name);
        if (current !== undefined) {
          if (file !== 'docs/configuration.md') report(`quotes ${name}, which was renamed ${current}`);
          continue;
        }
        if (!known.has(name) && (name.includes('_') || quoted.includes('=')))
          report(`quotes ${name}, which is no configuration variable (nor another name the code knows)`);
        continue;
      }
      if (looksLikePath(quoted) && !resolves(quoted, false)) report(`quotes the path ${quoted}, which does not exist`);
    }
  });
  return problems;
}

/** Every problem in the repository's tracked Markdown files. */
export function checkDocs(): DocProblem[] {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file !== '' && existsSync(path.join(ROOT, file)));
  const files = new Set(tracked);
  const folders = new Set(
    tracked.flatMap((file) =>
      file
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const exists = (repoPath: string) => files.has(repoPath) || folders.has(repoPath);
  const basenames = new Set(tracked.map((file) => path.posix.basename(file)));
  const sources = tracked
    .filter((file) => /\.(ts|tsx|cjs)$/.test(file) && !file.includes('__generated__'))
    .map((file) => readFileSync(path.join(ROOT, file), 'utf8'));
  const known = knownNames(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'), sources);
  // A folder that does not exist yet matches a `folder/` pattern only when asked with its slash.
  const ignored = (repoPath: string) =>
    [repoPath, `${repoPath}/`].some((candidate) => {
      try {
        execFileSync('git', ['check-ignore', '--quiet', '--no-index', candidate], { cwd: ROOT });
        return true;
      } catch {
        return false;
      }
    });
  return tracked
    .filter((file) => file.endsWith('.md') && file !== 'CHANGELOG.md' && !file.includes('node_modules/'))
    .flatMap((file) => checkMarkdown(file, readFileSync(path.join(ROOT, file), 'utf8'), known, exists, basenames, ignored, formerNames()));
}

if (require.main === module) {
  const problems = checkDocs();
  for (const problem of problems) console.error(`${problem.file}:${problem.line}: ${problem.message}`);
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} problem(s): the docs quote only files and variables that exist (server/src/scripts/check-docs.ts).`,
    );
    process.exit(1);
  }
  console.log('docs: every quoted path and variable exists');
}
