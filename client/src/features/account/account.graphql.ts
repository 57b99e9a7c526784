import { graphql } from '../../__generated__';

export const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

export const LOGOUT_EVERYWHERE = graphql(`
  mutation LogoutEverywhere {
    logoutEverywhere
  }
`);

export const REFRESH_TOKEN = graphql(`
  mutation RefreshToken {
    refreshToken {
      token
    }
  }
`);

export const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      token
    }
  }
`);

export const MY_SESSIONS = graphql(`
  query MySessions {
    mySessions {
      id
      createdAt
      lastSeenAt
      userAgent
      current
    }
  }
`);

export const MY_ACCESS_LOG = graphql(`
  query MyAccessLog($first: Int, $after: String) {
    myAccessLog(first: $first, after: $after) {
      at
      actorName
      actorRole
      action
      outcome
      count
      cursor
    }
  }
`);

export const MY_TWO_STEP = graphql(`
  query MyTwoStep {
    me {
      id
      mfaEnabled
      mfaRequired
    }
  }
`);

export const START_MFA_ENROLLMENT = graphql(`
  mutation StartMfaEnrollment {
    startMfaEnrollment {
      secret
      otpauthUrl
      recoveryCodes
    }
  }
`);

export const CONFIRM_MFA_ENROLLMENT = graphql(`
  mutation ConfirmMfaEnrollment($code: String!) {
    confirmMfaEnrollment(code: $code)
  }
`);

export const DISABLE_MFA = graphql(`
  mutation DisableMfa($password: String!, $otp: String!) {
    disableMfa(password: $password, otp: $otp)
  }
`);

export const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($code: String!) {
    acceptInvitation(code: $code)
  }
`);
