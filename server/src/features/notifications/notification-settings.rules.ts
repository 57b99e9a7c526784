import { badUserInput } from '../../platform/errors';
import { Channel, type NotificationSettingsRow } from './notification-settings.sql';
import { parsePhone } from './phone-numbers';

/** What a user asked to change (NotificationSettingsInput, checked). */
export interface SettingsChange {
  /** undefined or null: keep the stored phone; "": remove it; otherwise any written form of a number. */
  readonly phone?: string | null;
  /** The whole new list (duplicates dropped). */
  readonly channels: readonly Channel[];
  /** true: agree to texts now (recorded with its time and source); false: withdraw; null/undefined: keep. */
  readonly smsConsent?: boolean | null;
}

/** Where consent given through the dashboard's settings page is recorded as coming from. */
export const CONSENT_SOURCE_DASHBOARD = 'dashboard';

/**
 * The settings after a change, or BAD_USER_INPUT naming the field: SMS needs a phone (`phone`) and
 * consent (`smsConsent`). Consent belongs to a number: a new phone needs it given again.
 */
export function applySettingsChange(current: NotificationSettingsRow, change: SettingsChange, now: Date): NotificationSettingsRow {
  const phone = change.phone == null ? current.phone : change.phone.trim() === '' ? null : parsePhone(change.phone);
  const samePhone = phone === current.phone;
  let smsConsentAt = samePhone ? current.smsConsentAt : null;
  let smsConsentSource = samePhone ? current.smsConsentSource : null;
  if (change.smsConsent === true) {
    if (phone === null) throw badUserInput('Agreeing to texts needs a phone number.', 'phone');
    if (smsConsentAt === null) [smsConsentAt, smsConsentSource] = [now, CONSENT_SOURCE_DASHBOARD];
  } else if (change.smsConsent === false) {
    [smsConsentAt, smsConsentSource] = [null, null];
  }
  const channels = [...new Set(change.channels)];
  if (channels.includes(Channel.SMS)) {
    if (phone === null) throw badUserInput('Texts need a phone number: add one to choose SMS.', 'phone');
    if (smsConsentAt === null)
      throw badUserInput('Texts need your consent: agree to receive them (smsConsent: true) to choose SMS.', 'smsConsent');
  }
  return { phone, channels, smsConsentAt, smsConsentSource };
}
