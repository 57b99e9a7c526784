import { describe, expect, it } from 'vitest';
import { formatChange, formatFigure, leadTimeLabel } from './figures';

describe('analytics figures', () => {
  it('writes counts whole, shares as percentages and durations with one decimal', () => {
    expect(formatFigure(1234, 'count')).toBe('1,234');
    expect(formatFigure(0.1234, 'share')).toBe('12.3%');
    expect(formatFigure(2.25, 'days')).toBe('2.3 d');
    expect(formatFigure(17, 'minutes')).toBe('17.0 min');
    expect(formatFigure(null, 'share')).toBe('—');
  });

  it('gives a share’s change in percentage points and says when there is none', () => {
    expect(formatChange(0.2, 0.15, 'share')).toBe('up 5.0 points');
    expect(formatChange(3, 5, 'count')).toBe('down 2');
    expect(formatChange(4, 4, 'count')).toBe('no change');
    expect(formatChange(0.5, null, 'share')).toBeNull();
    expect(formatChange(null, 3, 'count')).toBeNull();
  });

  it('names the lead-time buckets in words', () => {
    const bounds = [0, 1, 2, 4, 8, 15, 31];
    const labels = bounds.map((fromDays, index) => leadTimeLabel({ fromDays, toDays: bounds[index + 1] ?? null }));
    expect(labels).toEqual(['under 1 day', '1 day', '2–3 days', '4–7 days', '8–14 days', '15–30 days', '31+ days']);
  });
});
