import { Role } from '../generated/prisma/enums';
import { TokenService } from './tokens';

const config = { jwtSecret: 'a-test-secret-that-is-at-least-32-bytes!', jwtExpiresInSeconds: 60 };

describe('TokenService.verify', () => {
  afterEach(() => jest.useRealTimers());

  it('accepts the same valid token again with the same claims', async () => {
    const tokens = new TokenService(config);
    const token = await tokens.sign('user-1', Role.DOCTOR);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ userId: 'user-1', role: Role.DOCTOR });
    await expect(tokens.verify(token)).resolves.toEqual(first);
  });

  it('rejects a tampered token even after the genuine one was accepted', async () => {
    const tokens = new TokenService(config);
    const token = await tokens.sign('user-1', Role.PATIENT);
    await tokens.verify(token);
    const [header, payload, signature = ''] = token.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    await expect(tokens.verify(tampered)).resolves.toBeUndefined();
  });

  it('rejects a once-accepted token after it expires', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const tokens = new TokenService(config);
    const token = await tokens.sign('user-1', Role.DOCTOR);
    await expect(tokens.verify(token)).resolves.toBeDefined();
    jest.setSystemTime(Date.now() + 61_000);
    await expect(tokens.verify(token)).resolves.toBeUndefined();
  });
});
