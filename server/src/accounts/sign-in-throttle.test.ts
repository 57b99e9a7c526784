import { parseConfig } from '../platform/config';
import { clientNetwork, createSignInThrottle } from './sign-in-throttle';

describe('clientNetwork', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:eeee:dddd:cccc', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['not an address', 'not an address'],
  ])('counts %s as %s', (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });
});

describe('the known-address rule without Redis', () => {
  afterEach(() => jest.useRealTimers());

  // Regression: RateLimiterMemory expires keys with setTimeout, and a 90-day timer overflowed Node's
  // limit and ran at once, so an address was forgotten a millisecond after its successful sign-in.
  it('still knows the address an hour after its sign-in: failures elsewhere do not lock the owner out there', async () => {
    jest.useFakeTimers();
    const throttle = createSignInThrottle(parseConfig({ NODE_ENV: 'test' }));
    try {
      await throttle.signInSucceeded('owner@test.careline', '198.51.100.7');
      jest.advanceTimersByTime(60 * 60 * 1000);
      let refused = false;
      for (let attempt = 0; attempt < 100 && !refused; attempt += 1) {
        refused = await throttle.beginSignIn('owner@test.careline', `203.0.113.${attempt}`).then(
          () => false,
          () => true,
        );
      }
      expect(refused).toBe(true);
      await expect(throttle.beginSignIn('owner@test.careline', '198.51.100.7')).resolves.toBeUndefined();
    } finally {
      await throttle.close();
    }
  });
});
