// The few parts of http_ece (RFC 8188 encrypted content-encoding; no types of its own) the push tests use.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface EceParams {
    readonly version: 'aes128gcm';
    /** The receiver's key pair (decrypt) or the sender's (encrypt). */
    readonly privateKey?: ECDH;
    /** The receiver's public key, base64url (encrypt). */
    readonly dh?: string;
    readonly authSecret?: string;
    readonly salt?: string;
    readonly rs?: number;
  }
  const ece: {
    decrypt(buffer: Buffer, params: EceParams): Buffer;
    encrypt(buffer: Buffer, params: EceParams): Buffer;
  };
  export default ece;
}
