import { redactAddresses } from './job-worker';

describe('redactAddresses', () => {
  it('masks every email address in a failure reason, and keeps the rest', () => {
    expect(redactAddresses("Error: Can't send mail - all recipients were rejected: 550 5.1.1 <ana.lima@example.org>: unknown user")).toBe(
      "Error: Can't send mail - all recipients were rejected: 550 5.1.1 <address>: unknown user",
    );
    expect(redactAddresses('to bob@x.org, carmen@y.org')).toBe('to address, address');
    expect(redactAddresses('WebhookSendError: answered 503')).toBe('WebhookSendError: answered 503');
  });
});
