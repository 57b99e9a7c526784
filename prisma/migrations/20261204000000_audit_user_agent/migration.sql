-- Security events (sign-ins, membership, invitations...) record the client's user agent beside its
-- address. Nullable: older rows and rows about patients' data have none. The row hash covers it
-- (audit-chain.ts: the last value of chainedMiddle), so it cannot be edited unseen either.
ALTER TABLE "audit_events" ADD COLUMN "user_agent" TEXT;
