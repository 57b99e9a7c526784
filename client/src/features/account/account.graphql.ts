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

export const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($code: String!) {
    acceptInvitation(code: $code)
  }
`);
