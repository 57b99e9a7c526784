import { SignJWT } from 'jose';
import { movableClock } from '../../test/helpers/movable-clock';
import { Role } from '../generated/prisma/enums';
import { systemClock } from '../platform/clock';
import { bearerToken, TokenService } from './tokens';

const secret = 's'.repeat(32);
const tokens = new TokenService({ jwtSecret: secret, jwtExpiresInSeconds: 3600 }, systemClock);
const farFuture = () => new Date(Date.now() + 86400_000);

describe('TokenService', () => {
  it('round-trips the user id, role and session id', async () => {
    const claims = await tokens.verify(await tokens.sign('user-1', Role.DOCTOR, 'session-1', farFuture()));
    expect(claims).toMatchObject({ userId: 'user-1', role: Role.DOCTOR, sessionId: 'session-1' });
    expect(claims!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it('never outlives its session', async () => {
    const sessionEnds = new Date(Date.now() + 60_000);
    const claims = await tokens.verify(await tokens.sign('user-1', Role.DOCTOR, 'session-1', sessionEnds));
    expect(claims!.expiresAt).toBe(Math.floor(sessionEnds.getTime() / 1000));
  });

  it('rejects a token without a session id (issued before sessions existed)', async () => {
    const key = new TextEncoder().encode(secret);
    const old = await new SignJWT({ role: Role.PATIENT })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('careline')
      .setExpirationTime('1h')
      .sign(key);
    await expect(tokens.verify(old)).resolves.toBeUndefined();
  });

  it('rejects a token signed with another secret', async () => {
    const other = new TokenService({ jwtSecret: 'o'.repeat(32), jwtExpiresInSeconds: 3600 }, systemClock);
    await expect(tokens.verify(await other.sign('user-1', Role.DOCTOR, 'session-1', farFuture()))).resolves.toBeUndefined();
  });

  it('rejects an expired token', async () => {
    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({ role: Role.PATIENT, sid: 's' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer('careline')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    await expect(tokens.verify(expired)).resolves.toBeUndefined();
  });

  it('rejects a token claiming a role that does not exist', async () => {
    const key = new TextEncoder().encode(secret);
    const forged = await new SignJWT({ role: 'ADMIN', sid: 's' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('careline')
      .setExpirationTime('1h')
      .sign(key);
    await expect(tokens.verify(forged)).resolves.toBeUndefined();
  });

  it('rejects garbage', async () => {
    await expect(tokens.verify('not.a.token')).resolves.toBeUndefined();
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header in any letter case', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
  });
  it.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer a b'])('ignores %p', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

const config = { jwtSecret: 'a-test-secret-that-is-at-least-32-bytes!', jwtExpiresInSeconds: 60 };

describe('TokenService.verify', () => {
  it('accepts the same valid token again with the same claims', async () => {
    const tokens = new TokenService(config, systemClock);
    const token = await tokens.sign('user-1', Role.DOCTOR, 'session-1', farFuture());
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ userId: 'user-1', role: Role.DOCTOR });
    await expect(tokens.verify(token)).resolves.toEqual(first);
  });

  it('rejects a tampered token even after the genuine one was accepted', async () => {
    const tokens = new TokenService(config, systemClock);
    const token = await tokens.sign('user-1', Role.PATIENT, 'session-1', farFuture());
    await tokens.verify(token);
    const [header, payload, signature = ''] = token.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    await expect(tokens.verify(tampered)).resolves.toBeUndefined();
  });

  it('rejects a once-accepted token after it expires', async () => {
    const clock = movableClock();
    const tokens = new TokenService(config, clock);
    const token = await tokens.sign('user-1', Role.DOCTOR, 'session-1', farFuture());
    await expect(tokens.verify(token)).resolves.toBeDefined();
    clock.advance(61_000);
    await expect(tokens.verify(token)).resolves.toBeUndefined();
  });

  it('rejects a token it has never seen once the clock is past its expiry, and accepts it before', async () => {
    const clock = movableClock();
    const token = await new TokenService(config, clock).sign('user-1', Role.PATIENT, 'session-1', farFuture());
    await expect(new TokenService(config, clock).verify(token)).resolves.toBeDefined();
    clock.advance(61_000);
    await expect(new TokenService(config, clock).verify(token)).resolves.toBeUndefined();
  });
});
