import { decodeEventCursor, decodeListCursor, encodeEventCursor, encodeListCursor } from './cursors';
import { ErrorCode } from '../platform/errors';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions?.['code'];
  }
  return undefined;
};

describe('event cursors', () => {
  it('round-trips a sequence number through an opaque string', () => {
    const cursor = encodeEventCursor(42);
    expect(cursor).not.toContain('42');
    expect(decodeEventCursor(cursor)).toBe(42);
  });

  it.each([
    '',
    'garbage',
    encodeListCursor({ lastBookedAt: new Date(0), patientId: '00000000-0000-0000-0000-000000000000' }),
    'x'.repeat(500),
  ])('rejects %p with BAD_USER_INPUT', (cursor) => {
    expect(codeOf(() => decodeEventCursor(cursor))).toBe(ErrorCode.BadUserInput);
  });
});

describe('patient list cursors', () => {
  it('round-trips the time of the latest booking and the patient id', () => {
    const position = { lastBookedAt: new Date('2026-01-02T03:04:05.678Z'), patientId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };
    expect(decodeListCursor(encodeListCursor(position))).toEqual(position);
  });

  it.each(['', 'nonsense', encodeEventCursor(1), Buffer.from('pl1:not-a-date|1b4e28ba-2fa1-11d2-883f-0016d3cca427').toString('base64url')])(
    'rejects %p with BAD_USER_INPUT',
    (cursor) => {
      expect(codeOf(() => decodeListCursor(cursor))).toBe(ErrorCode.BadUserInput);
    },
  );
});
