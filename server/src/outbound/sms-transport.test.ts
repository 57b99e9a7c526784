import { createHmac } from 'node:crypto';
import { isTwilioSignatureValid, SmsSendError, twimlReply } from './sms-transport';

// Twilio's published example (docs: "Webhooks security", validating signatures).
const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
const EXPECTED = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('X-Twilio-Signature', () => {
  it("accepts Twilio's published example vector", () => {
    expect(isTwilioSignatureValid(AUTH_TOKEN, EXPECTED, URL, PARAMS)).toBe(true);
  });

  it('is what the algorithm says: HMAC-SHA1 of the URL and the sorted name+value pairs, base64', () => {
    const data =
      URL +
      Object.keys(PARAMS)
        .sort()
        .map((name) => name + PARAMS[name as keyof typeof PARAMS])
        .join('');
    expect(createHmac('sha1', AUTH_TOKEN).update(data).digest('base64')).toBe(EXPECTED);
  });

  it('refuses another token, URL, parameter value, or no signature', () => {
    expect(isTwilioSignatureValid('54321', EXPECTED, URL, PARAMS)).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, EXPECTED, 'https://mycompany.com/myapp.php?foo=1&bar=3', PARAMS)).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, EXPECTED, URL, { ...PARAMS, Digits: '1235' })).toBe(false);
    expect(isTwilioSignatureValid(AUTH_TOKEN, undefined, URL, PARAMS)).toBe(false);
  });
});

describe('send errors', () => {
  it('retries 429, 5xx and no answer; not the other 4xx', () => {
    expect(new SmsSendError('x', 21211, 400).permanent).toBe(true);
    expect(new SmsSendError('x', 20429, 429).permanent).toBe(false);
    expect(new SmsSendError('x', 20500, 500).permanent).toBe(false);
    expect(new SmsSendError('x', undefined, undefined).permanent).toBe(false);
  });
});

describe('TwiML replies', () => {
  it('escapes the text and answers nothing when there is nothing to say', () => {
    expect(twimlReply('C & YES <ok>')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>C &amp; YES &lt;ok&gt;</Message></Response>',
    );
    expect(twimlReply()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});
