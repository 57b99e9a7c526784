import { isBeyondRetention } from './outbox';

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
