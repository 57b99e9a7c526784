import { longLivedUuid } from './ids';

describe('longLivedUuid', () => {
  it('is a random version 4 UUID, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => longLivedUuid()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
