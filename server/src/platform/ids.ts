import { randomUUID } from 'node:crypto';

/**
 * A random UUID held as one flat string, for ids that live as long as a socket. Node builds
 * randomUUID()'s text by some twenty concatenations, and V8 keeps the result as a chain of cons
 * strings (about 0.5 KB) for as long as it is referenced; copying it once makes it 36 bytes of
 * text. Short-lived ids (a request's, an error's) need no copy.
 */
export function longLivedUuid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
