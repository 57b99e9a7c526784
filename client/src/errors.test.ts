import { describe, expect, it } from 'vitest';
import { plainMessage } from './errors';

describe('plainMessage', () => {
  it('says what to do instead of naming startsAt', () => {
    expect(plainMessage('startsAt', 'startsAt must be in the future.')).toBe('Choose a time in the future.');
  });

  it('explains a time zone without echoing the API field', () => {
    const message = plainMessage('timeZone', 'timeZone "Mars/Olympus" is not an IANA time zone.');
    expect(message).not.toContain('timeZone');
    expect(message).toContain('Europe/London');
  });

  it('names a vital by its label', () => {
    expect(plainMessage('heartRate', 'heartRate must be from 20 to 250 beats per minute.')).toBe(
      'Heart rate must be from 20 to 250 beats per minute.',
    );
    expect(plainMessage('systolic', 'systolic must be higher than diastolic.')).toBe(
      'Systolic pressure must be higher than diastolic pressure.',
    );
  });

  it('leaves messages without a field as they are', () => {
    expect(plainMessage(undefined, 'Too many attempts.')).toBe('Too many attempts.');
  });
});
