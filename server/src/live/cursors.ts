import { badUserInput } from '../platform/errors';

/**
 * Opaque cursors. Clients must treat them as strings to pass back; the encoding (base64url of a
 * small versioned text) lets us change them later without breaking anyone who follows that rule.
 */

const EVENT_PREFIX = 'ev1:';
const LIST_PREFIX = 'pl1:';

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** The cursor of the event at this position of its stream. */
export function encodeEventCursor(seq: number): string {
  return encode(`${EVENT_PREFIX}${seq}`);
}

/** The stream position of an event cursor; BAD_USER_INPUT when it is not one of ours. */
export function decodeEventCursor(cursor: string): number {
  const text = cursor.length <= 64 ? decode(cursor) : '';
  const digits = text.startsWith(EVENT_PREFIX) ? text.slice(EVENT_PREFIX.length) : '';
  const seq = Number(digits);
  if (!/^\d{1,15}$/.test(digits) || !Number.isSafeInteger(seq)) throw badUserInput('`after` is not a valid event cursor.', 'after');
  return seq;
}

/** A position in a doctor's patient list: the time of the patient's latest booking, then their id. */
export interface ListPosition {
  readonly lastBookedAt: Date;
  readonly patientId: string;
}

export function encodeListCursor(position: ListPosition): string {
  return encode(`${LIST_PREFIX}${position.lastBookedAt.toISOString()}|${position.patientId}`);
}

/** BAD_USER_INPUT when the cursor is not one of ours. */
export function decodeListCursor(cursor: string): ListPosition {
  const text = cursor.length <= 200 ? decode(cursor) : '';
  const match = text.startsWith(LIST_PREFIX) ? /^(.+)\|([0-9a-f-]{36})$/.exec(text.slice(LIST_PREFIX.length)) : null;
  const lastBookedAt = match?.[1] ? new Date(match[1]) : undefined;
  if (!match?.[2] || !lastBookedAt || Number.isNaN(lastBookedAt.getTime())) {
    throw badUserInput('`after` is not a valid cursor of this list.', 'after');
  }
  return { lastBookedAt, patientId: match[2] };
}
