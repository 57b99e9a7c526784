// aes128gcm as RFC 8291 defines it, checked with http_ece (an implementation independent of the
// encryption web-push does) against the RFC's own test vector (Appendix A), then web-push's output
// decrypted by http_ece with a browser's keys.
import { createECDH, randomBytes } from 'node:crypto';
import ece from 'http_ece';
import webpush from 'web-push';
import { vapidKeysMatch } from '../platform/config/schema';
import { generateVapidKeys, PushSendError, retryAfterSeconds } from './push-sender';

/** RFC 8291, Appendix A. */
const RFC8291 = {
  plaintext: 'When I grow up, I want to be a watermelon',
  asPrivateKey: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  asPublicKey: 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
  uaPrivateKey: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublicKey: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

function keyPair(privateKey: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
  return ecdh;
}

describe('aes128gcm (RFC 8291)', () => {
  it("decrypts the RFC's test vector with the user agent's keys", () => {
    const ua = keyPair(RFC8291.uaPrivateKey);
    expect(ua.getPublicKey().toString('base64url')).toBe(RFC8291.uaPublicKey);
    const plaintext = ece.decrypt(Buffer.from(RFC8291.body, 'base64url'), {
      version: 'aes128gcm',
      privateKey: ua,
      authSecret: RFC8291.authSecret,
    });
    expect(plaintext.toString('utf8')).toBe(RFC8291.plaintext);
  });

  it("encrypts to the RFC's exact bytes given its application server key and salt", () => {
    const body = ece.encrypt(Buffer.from(RFC8291.plaintext), {
      version: 'aes128gcm',
      privateKey: keyPair(RFC8291.asPrivateKey),
      dh: RFC8291.uaPublicKey,
      authSecret: RFC8291.authSecret,
      salt: RFC8291.salt,
      rs: 4096,
    });
    expect(body.toString('base64url')).toBe(RFC8291.body);
  });

  it('opens what web-push encrypts for a browser (random salt and sender key), and nothing else', () => {
    const browser = createECDH('prime256v1');
    browser.generateKeys();
    const auth = randomBytes(16).toString('base64url');
    const message = JSON.stringify({ title: 'New booking', body: 'Ana Lima with Dr. Kim', url: '/dashboard' });
    const encrypted = webpush.encrypt(browser.getPublicKey().toString('base64url'), auth, message, 'aes128gcm');
    expect(ece.decrypt(encrypted.cipherText, { version: 'aes128gcm', privateKey: browser, authSecret: auth }).toString()).toBe(message);
    const stranger = createECDH('prime256v1');
    stranger.generateKeys();
    expect(() => ece.decrypt(encrypted.cipherText, { version: 'aes128gcm', privateKey: stranger, authSecret: auth })).toThrow();
  });
});

describe('VAPID keys and answers', () => {
  it('makes key pairs in the form the configuration takes, whose halves match', () => {
    const keys = generateVapidKeys();
    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect(vapidKeysMatch(keys.publicKey, keys.privateKey)).toBe(true);
    expect(vapidKeysMatch(generateVapidKeys().publicKey, keys.privateKey)).toBe(false);
    expect(vapidKeysMatch(RFC8291.asPublicKey, RFC8291.asPrivateKey)).toBe(true);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-12-04T09:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 09:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });

  it('calls 404 and 410 gone, and 429, 5xx and no answer worth retrying', () => {
    expect([404, 410].map((status) => new PushSendError('', status, undefined).gone)).toEqual([true, true]);
    expect([429, 500, 503, undefined].map((status) => new PushSendError('', status, undefined).transient)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([400, 403, 413].map((status) => new PushSendError('', status, undefined).transient)).toEqual([false, false, false]);
  });
});
