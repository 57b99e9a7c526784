import { GraphQLError } from 'graphql';
import { applySettingsChange, CONSENT_SOURCE_DASHBOARD } from './notification-settings.rules';
import { Channel, DEFAULT_SETTINGS } from './notification-settings.sql';

const NOW = new Date('2027-03-01T10:00:00Z');
const LATER = new Date('2027-03-02T10:00:00Z');

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return { code: error.extensions.code, field: error.extensions.field };
    throw error;
  }
  throw new Error('no refusal');
};

describe('applySettingsChange', () => {
  it('records consent with its time and source, and lets SMS be chosen with a phone', () => {
    const after = applySettingsChange(
      DEFAULT_SETTINGS,
      { phone: '+1 415 555 2671', channels: [Channel.SMS, Channel.EMAIL, Channel.SMS], smsConsent: true },
      NOW,
    );
    expect(after).toEqual({
      phone: '+14155552671',
      channels: [Channel.SMS, Channel.EMAIL],
      smsConsentAt: NOW,
      smsConsentSource: CONSENT_SOURCE_DASHBOARD,
    });
  });

  it('keeps the first consent time when consent is given again for the same number', () => {
    const first = applySettingsChange(DEFAULT_SETTINGS, { phone: '+14155552671', channels: [Channel.SMS], smsConsent: true }, NOW);
    expect(applySettingsChange(first, { channels: [Channel.SMS], smsConsent: true }, LATER).smsConsentAt).toEqual(NOW);
  });

  it('refuses SMS without a phone (field phone) and without consent (field smsConsent)', () => {
    expect(refusal(() => applySettingsChange(DEFAULT_SETTINGS, { channels: [Channel.SMS], smsConsent: true }, NOW))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'phone',
    });
    expect(refusal(() => applySettingsChange(DEFAULT_SETTINGS, { phone: '+14155552671', channels: [Channel.SMS] }, NOW))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'smsConsent',
    });
  });

  it('asks for consent again when the phone changes, and drops it when withdrawn', () => {
    const consented = applySettingsChange(DEFAULT_SETTINGS, { phone: '+14155552671', channels: [Channel.SMS], smsConsent: true }, NOW);
    expect(refusal(() => applySettingsChange(consented, { phone: '+33612345678', channels: [Channel.SMS] }, LATER)).field).toBe(
      'smsConsent',
    );
    const withdrawn = applySettingsChange(consented, { channels: [Channel.EMAIL], smsConsent: false }, LATER);
    expect(withdrawn).toMatchObject({ phone: '+14155552671', smsConsentAt: null, smsConsentSource: null, channels: [Channel.EMAIL] });
    expect(applySettingsChange(withdrawn, { phone: '', channels: [] }, LATER)).toMatchObject({ phone: null, channels: [] });
  });
});
