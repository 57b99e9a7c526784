import { graphql } from '../../__generated__';

export const SIGNED_IN_USER = graphql(`
  fragment SignedInUser on User {
    id
    email
    role
    doctor {
      id
      name
    }
    patient {
      id
      name
    }
    staff {
      id
      name
    }
    adminOf {
      id
    }
    mfaEnabled
    mfaRequired
  }
`);

export const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!, $otp: String) {
    login(email: $email, password: $password, otp: $otp) {
      token
      user {
        ...SignedInUser
      }
    }
  }
`);

export const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      user {
        ...SignedInUser
      }
    }
  }
`);

export const DEMO_ACCOUNTS = graphql(`
  query DemoAccounts {
    demoAccounts {
      email
      name
      role
      password
    }
  }
`);
