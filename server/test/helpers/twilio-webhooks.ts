import twilio from 'twilio';

/** Test credentials of the fake Twilio account. */
export const TWILIO_TEST = {
  accountSid: `AC${'a1'.repeat(16)}`,
  authToken: 'fake-twilio-auth-token-0123456789',
  from: '+15005550006',
  /** The address Twilio would sign: a proxy in front of the test server. */
  publicUrl: 'https://clinic.careline.test',
} as const;

/** The environment of a server texting through the fake at `apiBaseUrl`. */
export function twilioEnv(apiBaseUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TWILIO_TEST.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO_TEST.authToken,
    TWILIO_FROM: TWILIO_TEST.from,
    TWILIO_API_BASE_URL: apiBaseUrl,
    PUBLIC_URL: TWILIO_TEST.publicUrl,
  };
}

/**
 * POSTs a form to the server as Twilio would: signed for PUBLIC_URL + path with the auth token
 * (`signature: null` sends none, a string sends that one).
 */
export async function postAsTwilio(
  serverUrl: string,
  path: string,
  params: Readonly<Record<string, string>>,
  signature?: string | null,
): Promise<{ status: number; body: string }> {
  const signed =
    signature === undefined
      ? twilio.getExpectedTwilioSignature(TWILIO_TEST.authToken, `${TWILIO_TEST.publicUrl}${path}`, { ...params })
      : signature;
  const response = await fetch(`${serverUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signed === null ? {} : { 'x-twilio-signature': signed }) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text() };
}

/** An inbound text from `from` saying `body`, as Twilio forwards it. */
export function inboundText(from: string, body: string): Record<string, string> {
  return {
    MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`,
    AccountSid: TWILIO_TEST.accountSid,
    From: from,
    To: TWILIO_TEST.from,
    Body: body,
    NumMedia: '0',
  };
}
