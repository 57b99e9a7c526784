import { isBeyondRetention, toStreamMessage } from './outbox';

describe('isBeyondRetention', () => {
  it('accepts a cursor whose next event is still retained', () => {
    expect(isBeyondRetention(4, { lastSeq: 9, oldestSeq: 5 })).toBe(false);
  });

  it('expires a cursor whose next event was pruned', () => {
    expect(isBeyondRetention(3, { lastSeq: 9, oldestSeq: 5 })).toBe(true);
    expect(isBeyondRetention(3, { lastSeq: 9, oldestSeq: undefined })).toBe(true);
  });

  it('accepts a cursor at or beyond the last event, even when everything was pruned', () => {
    expect(isBeyondRetention(9, { lastSeq: 9, oldestSeq: undefined })).toBe(false);
    expect(isBeyondRetention(0, { lastSeq: 0, oldestSeq: undefined })).toBe(false);
  });
});

describe('toStreamMessage', () => {
  it('turns a stored row into the message pub/sub carries', () => {
    expect(toStreamMessage(7n, 'PATIENT_ADDED', '{"seq":7}')).toEqual({ seq: 7, topic: 'PATIENT_ADDED', payload: { seq: 7 } });
  });

  it('refuses a topic this code does not know, rather than deliver it to the wrong subscription', () => {
    expect(() => toStreamMessage(1, 'SOMETHING_ELSE', {})).toThrow(/unknown topic SOMETHING_ELSE/);
  });
});
