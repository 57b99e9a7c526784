import { PASSWORD_HASH_COST, PasswordHasher, verifyPassword } from './passwords';

// The cheapest cost keeps these fast; the default's parameters are checked without hashing at it twice.
const hasher = new PasswordHasher(PASSWORD_HASH_COST.min);

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery!', hash)).resolves.toBe(false);
  });

  it('stores the cost with each hash, so hashes written at another cost still verify', async () => {
    const atDefault = await new PasswordHasher(PASSWORD_HASH_COST.default).hash('correct horse battery');
    expect(atDefault).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse battery', atDefault)).resolves.toBe(true);
  });

  it('salts each hash, so equal passwords do not give equal hashes', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('treats a malformed stored hash, or one no server would write, as a mismatch instead of throwing', async () => {
    const [, , , , salt, key] = (await hasher.hash('anything')).split('$');
    await expect(verifyPassword('anything', 'not-a-hash')).resolves.toBe(false);
    // N above 2^17 (gigabytes to check), not a power of two, other r or p: refused before scrypt runs.
    for (const params of ['1073741824$8$1', '1000$8$1', '1024$16$1', '1024$8$2', 'x$8$1']) {
      await expect(verifyPassword('anything', `scrypt$${params}$${salt}$${key}`)).resolves.toBe(false);
    }
  });

  it('refuses a cost outside 2^10 to 2^17', () => {
    expect(() => new PasswordHasher(9)).toThrow(/from 10 to 17/);
    expect(() => new PasswordHasher(18)).toThrow(/from 10 to 17/);
    expect(() => new PasswordHasher(14.5)).toThrow(/from 10 to 17/);
  });

  it('hashes the dummy once, at the same cost as real hashes', async () => {
    const dummy = await hasher.dummyHash();
    expect(dummy).toMatch(/^scrypt\$1024\$/);
    expect(await hasher.dummyHash()).toBe(dummy);
  });
});
