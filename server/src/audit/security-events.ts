import type { RequestMeta } from '../accounts/request-meta';

/**
 * Security events: what happened to accounts, sessions and a practice's workforce (sign-ins,
 * password and MFA changes, revocations, membership, invitations, webhook endpoints, third-party apps). They are
 * audit rows like any other (same table, same hash chain, same append-only rule), told apart by
 * their action's `security.` prefix; `patient_id` is null, `actor_practice_id` is the practice
 * concerned (the one whose admins list it with `practiceSecurityEvents`), and the row carries the
 * client's address and user agent from the request.
 */
export const SecurityAction = {
  /** A sign-in attempt (outcome SUCCESS, FAILURE, LOCKED_OUT or MFA_FAILED). */
  SignIn: 'security.signIn',
  PasswordChanged: 'security.passwordChanged',
  MfaEnabled: 'security.mfaEnabled',
  MfaDisabled: 'security.mfaDisabled',
  /**
   * A session ended by someone or something other than its own sign-out (sign out everywhere,
   * removal; by the server: outcome IDLE_TIMEOUT or TOKEN_REUSED, object the session).
   */
  SessionRevoked: 'security.sessionRevoked',
  MemberJoined: 'security.memberJoined',
  MemberRemoved: 'security.memberRemoved',
  InvitationCreated: 'security.invitationCreated',
  InvitationUsed: 'security.invitationUsed',
  InvitationRevoked: 'security.invitationRevoked',
  WebhookEndpointCreated: 'security.webhookEndpointCreated',
  WebhookEndpointDeleted: 'security.webhookEndpointDeleted',
  /** A new signing secret for an endpoint (rotateWebhookSecret): whoever held the old one can no longer sign. */
  WebhookSecretRotated: 'security.webhookSecretRotated',
  /** A practice admin registered a third-party app (object: the app; practice: its own). */
  AppRegistered: 'security.appRegistered',
  /** A practice admin changed an app's name, redirect URIs or scopes (object: the app). */
  AppUpdated: 'security.appUpdated',
  /** A practice admin deleted an app; every authorization of it ended (object: the app). */
  AppDeleted: 'security.appDeleted',
  /** A user allowed an app on the consent page (object: the app; practice: the app's). */
  AppAuthorized: 'security.appAuthorized',
  /** A user revoked their authorizations of an app (object: the app; practice: the app's). */
  AppAuthorizationRevoked: 'security.appAuthorizationRevoked',
} as const;
export type SecurityAction = (typeof SecurityAction)[keyof typeof SecurityAction];

/** Every security action's name starts with this (how the trail's rows are told apart). */
export const SECURITY_ACTION_PREFIX = 'security.';

/**
 * How it ended. SUCCESS: done. FAILURE: refused for bad credentials (or bad input). LOCKED_OUT:
 * refused by the sign-in throttle before the password was checked. MFA_FAILED: the password was
 * right but the second factor missing or wrong. DENIED: refused by authorization (FORBIDDEN).
 * IDLE_TIMEOUT and TOKEN_REUSED: a session the server ended (SessionRevoked) because it had no user
 * activity for SESSION_IDLE_TIMEOUT, or because a rotated token was presented after its grace.
 */
export const SecurityOutcome = {
  Success: 'SUCCESS',
  Failure: 'FAILURE',
  LockedOut: 'LOCKED_OUT',
  MfaFailed: 'MFA_FAILED',
  Denied: 'DENIED',
  IdleTimeout: 'IDLE_TIMEOUT',
  TokenReused: 'TOKEN_REUSED',
} as const;
export type SecurityOutcome = (typeof SecurityOutcome)[keyof typeof SecurityOutcome];

/** The actor role of a row whose actor is not known (a failed sign-in for an unknown email). */
export const ANONYMOUS_ACTOR = 'ANONYMOUS';

/**
 * One security event, for `AuditTrail.writeSecurityEvent(tx, event)` (inside the change's
 * `Transactions.run`: it commits or vanishes with the change) or `AuditTrail.recordSecurityEvent(event)`
 * (on its own, committed when it resolves: for refusals, whose transaction, if any, rolls back).
 */
export interface SecurityEvent {
  readonly action: SecurityAction;
  readonly outcome: SecurityOutcome;
  /** Who acted: the signed-in user, the account signing in, or null when nobody is known. */
  readonly actorUserId: string | null;
  /** Their role (Role as text), or ANONYMOUS_ACTOR when actorUserId is null. */
  readonly actorRole: string;
  /**
   * The practice concerned: its admins see the event in `practiceSecurityEvents`. For a member's
   * own sign-in or password change, the member's practice (PracticeMembers.membershipOf); for
   * patients and unknown accounts, null (the row is kept but listed to no practice).
   */
  readonly practiceId: string | null;
  /**
   * The account the event is about when it is not the actor (the member removed, the session's
   * owner): stored as object ('user', id). Ignored when objectType is given.
   */
  readonly subjectUserId?: string;
  /** What else it is about: 'invitation', 'session', 'webhookEndpoint'... with its id. */
  readonly objectType?: string;
  readonly objectId?: string;
  /** Where the request came from: its id, client address and user agent are recorded. */
  readonly request: RequestMeta;
}

/** Who did it, for callers that pass it on: a signed-in user, or the operator's command (userId null). */
export interface SecurityActor {
  readonly userId: string | null;
  /** Role as text; OPERATOR_ROLE for the operator's command. */
  readonly role: string;
  readonly request: RequestMeta;
}

/** The actor role of the operator's command (`npm run admin`), which has no account. */
export const OPERATOR_ROLE = 'OPERATOR';

/** Longest user agent kept (a header can be kilobytes; the rest says nothing an auditor needs). */
export const MAX_USER_AGENT_LENGTH = 512;

/** The object columns of an event's row: its own object, or the subject user. */
export function objectOf(event: SecurityEvent): { objectType: string | null; objectId: string | null } {
  if (event.objectType !== undefined) return { objectType: event.objectType, objectId: event.objectId ?? null };
  if (event.subjectUserId !== undefined) return { objectType: 'user', objectId: event.subjectUserId };
  return { objectType: null, objectId: null };
}

/** The user agent as stored: trimmed to MAX_USER_AGENT_LENGTH, null when absent or empty. */
export function storedUserAgent(userAgent: string | undefined): string | null {
  if (userAgent === undefined || userAgent.length === 0) return null;
  return userAgent.slice(0, MAX_USER_AGENT_LENGTH);
}
