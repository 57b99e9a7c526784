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

export const REMOVE_MEMBER = graphql(`
  mutation RemoveMember($practiceId: ID!, $userId: ID!) {
    removeMember(practiceId: $practiceId, userId: $userId)
  }
`);

export const REVOKE_INVITATION = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

export const PRACTICE_SECURITY_EVENTS = graphql(`
  query PracticeSecurityEvents($practiceId: ID!) {
    practiceSecurityEvents(practiceId: $practiceId, first: 50) {
      id
      at
      action
      outcome
      actorName
      clientAddress
      userAgent
    }
  }
`);
