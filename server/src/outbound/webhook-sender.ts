import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, resolveWebhookHost, type CheckedAddress } from './address-guard';

/** A delivery must be answered within this (API.md): anything slower counts as a failure. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Bytes of a receiver's answer read (and dropped): enough to finish the exchange, never a sink. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Why a send did not get a 2xx answer: the status code when there was one. */
export class WebhookSendError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
    this.name = 'WebhookSendError';
  }
}

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * POSTs one delivery. The URL is checked again and its host resolved and checked at each send
 * (an endpoint's DNS may change after creation), then the connection goes to exactly the address
 * that passed: a custom `lookup` hands it to the socket, so nothing resolves the name again. TLS
 * still verifies the certificate against the URL's host name. Resolves with the 2xx status;
 * throws WebhookSendError otherwise (or WebhookAddressRefused).
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: { readonly allowPrivate: boolean; readonly timeoutMs?: number },
): Promise<number> {
  const url = checkWebhookUrl(request.url, options.allowPrivate);
  const checked = await resolveWebhookHost(url.hostname, options.allowPrivate);
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(request.body)), ...request.headers },
      lookup: pinnedLookup(checked),
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new WebhookSendError(`no answer within ${timeoutMs / 1000} s`, undefined)), timeoutMs);
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('close', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else reject(new WebhookSendError(`answered ${status}`, status));
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof WebhookSendError ? error : new WebhookSendError(connectionFailure(error), undefined));
    });
    req.end(request.body);
  });
}

/** A lookup that answers with the checked address only, in either of the shapes net.connect asks for. */
export function pinnedLookup(checked: CheckedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: checked.address, family: checked.family }]);
    else callback(null, checked.address, checked.family);
  };
}

function connectionFailure(error: Error & { code?: string }): string {
  return error.code ? `could not connect (${error.code})` : 'could not connect';
}
