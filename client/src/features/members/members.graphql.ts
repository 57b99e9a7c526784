import { graphql } from '../../__generated__';

export const ADMIN_OF = graphql(`
  query AdminOf {
    me {
      id
      adminOf {
        id
        name
      }
    }
  }
`);

export const PRACTICE_MEMBERS = graphql(`
  query PracticeMembers($id: ID!) {
    practice(id: $id) {
      id
      name
      members {
        id
        name
        email
        role
        admin
      }
      pendingInvitations {
        id
        email
        role
        admin
        expiresAt
      }
    }
  }
`);

export const CREATE_INVITATION = graphql(`
  mutation CreateInvitation($input: InvitationInput!) {
    createInvitation(input: $input) {
      id
      email
      role
      admin
      expiresAt
      code
    }
  }
`);
