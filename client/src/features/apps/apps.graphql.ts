import { graphql } from '../../__generated__';

export const REGISTER_APP = graphql(`
  mutation RegisterApp($input: RegisterAppInput!) {
    registerApp(input: $input) {
      id
      clientId
      name
      redirectUris
      scopes
      clientSecret
    }
  }
`);

export const MY_AUTHORIZED_APPS = graphql(`
  query MyAuthorizedApps {
    myAuthorizedApps {
      appId
      name
      practiceName
      scopes
      authorizedAt
    }
  }
`);

export const REVOKE_APP_AUTHORIZATION = graphql(`
  mutation RevokeAppAuthorization($appId: ID!) {
    revokeAppAuthorization(appId: $appId)
  }
`);

export const PRACTICE_APPS = graphql(`
  query PracticeApps($practiceId: ID!) {
    practiceApps(practiceId: $practiceId) {
      id
      clientId
      name
      redirectUris
      scopes
      confidential
      createdAt
    }
  }
`);

export const UPDATE_APP = graphql(`
  mutation UpdateApp($input: UpdateAppInput!) {
    updateApp(input: $input) {
      id
      name
      redirectUris
      scopes
    }
  }
`);

export const DELETE_APP = graphql(`
  mutation DeleteApp($appId: ID!) {
    deleteApp(appId: $appId)
  }
`);
