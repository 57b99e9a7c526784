import { checkWebhookUrl, isNonPublicAddress, resolveWebhookHost, WebhookAddressRefused } from './address-guard';

describe('the webhook address guard', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.254.169.254',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
  ])('treats %s as non-public', (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])('treats %s as public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254', 'localhost'])(
    'refuses %s with the switch off (after DNS for a name)',
    async (host) => {
      await expect(resolveWebhookHost(host, false)).rejects.toBeInstanceOf(WebhookAddressRefused);
    },
  );

  it('accepts loopback with the switch on, and returns the address it checked', async () => {
    await expect(resolveWebhookHost('127.0.0.1', true)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('refuses http:// unless the switch is on, and credentials in any URL', () => {
    expect(() => checkWebhookUrl('http://hooks.example.org/in', false)).toThrow(WebhookAddressRefused);
    expect(checkWebhookUrl('http://127.0.0.1:9/in', true).port).toBe('9');
    expect(() => checkWebhookUrl('https://user:pw@hooks.example.org/in', true)).toThrow(WebhookAddressRefused);
    expect(() => checkWebhookUrl('ftp://hooks.example.org/in', true)).toThrow(WebhookAddressRefused);
    expect(() => checkWebhookUrl('not a url', true)).toThrow(WebhookAddressRefused);
  });
});
