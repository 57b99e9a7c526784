import { monthStart, replyIntent, textableAt } from './sms.rules';

describe('quiet hours', () => {
  it('texts at once between 08:00 and 21:00 on the practice clock', () => {
    const noonParis = new Date('2027-03-01T11:00:00Z');
    expect(textableAt(noonParis, 'Europe/Paris')).toEqual(noonParis);
  });

  it('defers a reminder due at 22:30 to 08:00 the next morning, and one due at 03:00 to 08:00 the same morning', () => {
    expect(textableAt(new Date('2027-03-01T21:30:00Z'), 'Europe/Paris')).toEqual(new Date('2027-03-02T07:00:00Z'));
    expect(textableAt(new Date('2027-03-02T02:00:00Z'), 'Europe/Paris')).toEqual(new Date('2027-03-02T07:00:00Z'));
    // 21:00 sharp is quiet; 08:00 sharp is not.
    expect(textableAt(new Date('2027-03-01T20:00:00Z'), 'Europe/Paris')).toEqual(new Date('2027-03-02T07:00:00Z'));
    expect(textableAt(new Date('2027-03-02T07:00:00Z'), 'Europe/Paris')).toEqual(new Date('2027-03-02T07:00:00Z'));
  });

  it('follows the zone across a daylight-saving change (New York, spring forward)', () => {
    // 23:00 EST on 13 March 2027; 08:00 the next morning is EDT (UTC-4).
    expect(textableAt(new Date('2027-03-14T04:00:00Z'), 'America/New_York')).toEqual(new Date('2027-03-14T12:00:00Z'));
  });
});

describe('the budget month', () => {
  it('starts at local midnight of the first of the month', () => {
    expect(monthStart(new Date('2027-03-15T10:00:00Z'), 'Europe/Paris')).toEqual(new Date('2027-02-28T23:00:00Z'));
    expect(monthStart(new Date('2027-03-31T23:30:00Z'), 'Europe/Paris')).toEqual(new Date('2027-03-31T22:00:00Z'));
  });
});

describe('replies', () => {
  it.each([
    ['C', false, 'confirm'],
    [' yes! ', false, 'confirm'],
    ['YES', true, 'start'],
    ['Stop', false, 'stop'],
    ['stopall', false, 'stop'],
    ['UNSUBSCRIBE', false, 'stop'],
    ['cancel', false, 'stop'],
    ['END', false, 'stop'],
    ['quit', false, 'stop'],
    ['START', true, 'start'],
    ['unstop', true, 'start'],
    ['help', false, 'help'],
    ['see you tomorrow', false, 'unknown'],
  ] as const)('reads %j (opted out: %s) as %s', (body, optedOut, intent) => {
    expect(replyIntent(body, optedOut)).toBe(intent);
  });
});
