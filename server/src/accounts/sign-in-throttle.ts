import ipaddr from 'ipaddr.js';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../platform/config';
import { rateLimited } from '../platform/errors';
import { closeRedisClient, createRedisClient, REDIS_COMMAND_TIMEOUT_MS } from '../platform/redis';

/**
 * Sign-in and registration throttling on rate-limiter-flexible: counters in Redis when REDIS_URL
 * is set (every instance on that Redis shares them, keys `<REDIS_PREFIX>throttle:*`), in memory
 * otherwise. While Redis is unreachable each instance falls back to its own in-memory counters
 * (the library's insurance limiter): still limited, per instance.
 *
 * The interface is deliberately narrow (the hardening work unifies rate limiting behind it):
 * - `beginSignIn(email, address)`: counts the attempt against the email and the address, atomically,
 *   before the password is checked, so parallel guesses cannot slip past the limit. RATE_LIMITED
 *   (extensions.retryAfterSeconds) when either is over its limit, whatever the password.
 * - `signInSucceeded(email, address)`: a success resets the email's count and gives the address its point back,
 *   and makes the address known for the email (for KNOWN_ADDRESS_DAYS).
 * Addresses are counted by client network: an IPv4 address alone, an IPv6 address by its /64 (one
 * client usually holds a whole /64). Known addresses (OWASP's "device cookie" idea, by address):
 * failures at an address that has signed in to the email successfully before are counted for that
 * email and address only, so failures from elsewhere cannot lock the owner out there (lock-out as a
 * denial of service), while failures from that same address still count and lock it.
 * An undefined address (in-process callers) is not counted. Registrations per address are limited
 * by platform/rate-limits.ts (`registrations`), which this module can join: it needs `delete` and
 * `reward` beside `consume`, which that interface does not offer yet.
 */
export interface SignInThrottle {
  beginSignIn(email: string, address: string | undefined): Promise<void>;
  signInSucceeded(email: string, address: string | undefined): Promise<void>;
  close(): Promise<void>;
}

type ThrottleConfig = Pick<Config, 'redis' | 'signIn'>;

export function createSignInThrottle(config: ThrottleConfig): SignInThrottle {
  // Commands wait for the first connection (an instance that just started must not count in
  // memory what its peers count in Redis); during an outage one reconnection attempt is awaited
  // (at most ~2 s), then the insurance limiter answers.
  // Every limiter command names one key: works on a Redis Cluster as it is.
  const redis = createRedisClient(config.redis, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  redis?.on('error', () => undefined); // the insurance limiter takes over; pub/sub logs Redis outages
  const limiter = (name: string, points: number, duration: number): RateLimiterAbstract | RateLimiterStoreAbstract => {
    const options = { keyPrefix: `${config.redis.prefix}throttle:${name}`, points, duration };
    const memory = new RateLimiterMemory({ ...options, duration: Math.min(duration, MAX_MEMORY_SECONDS) });
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  // Without Redis the known addresses live in memory, whose expiry timers cannot be longer.
  const knownSeconds = redis ? KNOWN_ADDRESS_DAYS * 86_400 : MAX_MEMORY_SECONDS;
  const byEmail = limiter('login-email', config.signIn.maxFailuresPerEmail, config.signIn.failureWindowSeconds);
  const byAddress = limiter('login-address', config.signIn.maxFailuresPerAddress, config.signIn.failureWindowSeconds);
  const byEmailAtKnownAddress = limiter('login-email-known', config.signIn.maxFailuresPerEmail, config.signIn.failureWindowSeconds);
  const knownAddresses = limiter('known-address', 1, knownSeconds);

  return {
    async beginSignIn(email, address) {
      const network = address === undefined ? undefined : clientNetwork(address);
      const known = network !== undefined && (await knownAddresses.get(`${email}|${network}`)) !== null;
      const counted = [known ? consume(byEmailAtKnownAddress, `${email}|${network}`) : consume(byEmail, email)];
      if (network !== undefined) counted.push(consume(byAddress, network));
      const waits = await Promise.all(counted);
      const wait = Math.max(...waits);
      if (wait > 0) throw rateLimited(`Too many sign-in attempts. Try again in ${wait} seconds.`, wait);
    },
    async signInSucceeded(email, address) {
      const network = address === undefined ? undefined : clientNetwork(address);
      await Promise.all([
        byEmail.delete(email),
        network === undefined ? undefined : byEmailAtKnownAddress.delete(`${email}|${network}`),
        network === undefined ? undefined : byAddress.reward(network, 1),
        network === undefined ? undefined : knownAddresses.set(`${email}|${network}`, 1, knownSeconds),
      ]);
    },
    async close() {
      if (redis) await closeRedisClient(redis);
    },
  };
}

/** How long an address that signed in to an account stays known for it (with Redis; see MAX_MEMORY_SECONDS). */
export const KNOWN_ADDRESS_DAYS = 90;

/**
 * The longest a key can live in RateLimiterMemory: it expires keys with setTimeout, and Node runs
 * a timer longer than 2^31 - 1 ms (~24.8 days) at once instead, so a 90-day known address was
 * forgotten a millisecond after it was learnt. Without Redis an address stays known this long.
 */
export const MAX_MEMORY_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The client network an address is counted by: an IPv4 address itself (an IPv4-mapped IPv6
 * address too), an IPv6 address by its /64 (`2001:db8:1:2::/64`); text that is no address as it is.
 */
export function clientNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** Consumes a point; 0 when allowed, otherwise the seconds until the key's window ends (at least 1). */
async function consume(limiter: RateLimiterAbstract | RateLimiterStoreAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key, 1);
    return 0;
  } catch (rejection) {
    // The library rejects with a RateLimiterRes when over the limit; anything else is a store error
    // the insurance limiter did not absorb.
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}
