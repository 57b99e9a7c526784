import { graphql } from '../../__generated__';

export const NOTIFICATION_PREFERENCES = graphql(`
  query NotificationPreferences {
    notificationPreferences {
      confirmations
      reminders
    }
  }
`);

export const UPDATE_NOTIFICATION_PREFERENCES = graphql(`
  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      confirmations
      reminders
    }
  }
`);

export const REGISTER_PUSH_SUBSCRIPTION = graphql(`
  mutation RegisterPushSubscription($input: PushSubscriptionInput!) {
    registerPushSubscription(input: $input)
  }
`);

export const UNREGISTER_PUSH_SUBSCRIPTION = graphql(`
  mutation UnregisterPushSubscription($endpoint: String!) {
    unregisterPushSubscription(endpoint: $endpoint)
  }
`);

export const MESSAGE_SETTINGS = graphql(`
  query MessageSettings {
    me {
      id
      phone
      notificationChannels
      smsConsentAt
    }
  }
`);

export const UPDATE_NOTIFICATION_SETTINGS = graphql(`
  mutation UpdateNotificationSettings($input: NotificationSettingsInput!) {
    updateNotificationSettings(input: $input) {
      id
      phone
      notificationChannels
      smsConsentAt
    }
  }
`);
