import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/** Twilio's error for a number that replied STOP (or is otherwise unsubscribed): never retry it. */
export const TWILIO_UNSUBSCRIBED = 21610;

/** Where and how texts are sent (Config['sms'].twilio). */
export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** The sender number; a messaging service wins when both are set. */
  readonly from?: string | undefined;
  readonly messagingServiceSid?: string | undefined;
  /** https://api.twilio.com, or a proxy or test server standing in for it. */
  readonly apiBaseUrl: string;
}

export interface SmsMessage {
  /** E.164. */
  readonly to: string;
  readonly body: string;
  /** Where Twilio POSTs this message's status changes (PUBLIC_URL + /sms/twilio/status). */
  readonly statusCallback: string;
}

/** What Twilio answered to a send: its id for the message, and the first status ("queued", "accepted"). */
export interface SentSms {
  readonly sid: string;
  readonly status: string;
}

/**
 * Why a send failed. `code`: Twilio's error code when it answered with one (21610: unsubscribed);
 * `permanent`: a retry cannot help (a 4xx other than 429).
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }

  get permanent(): boolean {
    return this.httpStatus !== undefined && this.httpStatus >= 400 && this.httpStatus < 500 && this.httpStatus !== 429;
  }
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SentSms>;
}

const TWILIO_API = 'https://api.twilio.com';

/**
 * twilio's own HTTP client, with every request to https://api.twilio.com sent to `apiBaseUrl`
 * instead (the package has no base-URL option; its `httpClient` option is the way in). Its own
 * retries are off: the job queue retries, with its backoff and limits.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly apiBaseUrl: string) {
    super({ autoRetry: false, timeout: 15_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = opts.uri.startsWith(TWILIO_API) ? `${this.apiBaseUrl}${opts.uri.slice(TWILIO_API.length)}` : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

/** Texts through Twilio's Messages API (the official `twilio` package). */
export function createSmsSender(settings: TwilioSettings): SmsSender {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: new RebasedRequestClient(settings.apiBaseUrl.replace(/\/+$/, '')),
  });
  const sender = settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.from ?? '' };
  return {
    async send(message) {
      try {
        const sent = await client.messages.create({
          ...sender,
          to: message.to,
          body: message.body,
          statusCallback: message.statusCallback,
        });
        return { sid: sent.sid, status: String(sent.status) };
      } catch (error) {
        throw toSendError(error);
      }
    },
  };
}

function toSendError(error: unknown): SmsSendError {
  if (error instanceof Error && 'status' in error && typeof error.status === 'number') {
    const code = 'code' in error && typeof error.code === 'number' ? error.code : undefined;
    return new SmsSendError(`Twilio answered ${error.status}${code === undefined ? '' : ` (error ${code})`}`, code, error.status);
  }
  // No answer (refused, reset, timed out): transient.
  return new SmsSendError(`Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`, undefined, undefined);
}

/**
 * Whether an inbound request really comes from Twilio: its X-Twilio-Signature over the public URL
 * it was sent to and its form parameters, with the account's auth token (twilio's validateRequest).
 */
export function isTwilioSignatureValid(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Readonly<Record<string, string>>,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, { ...params });
}

/** A TwiML answer to an inbound text: a reply `text`, or none. */
export function twimlReply(text?: string): string {
  const response = new twilio.twiml.MessagingResponse();
  if (text !== undefined) response.message(text);
  return response.toString();
}
