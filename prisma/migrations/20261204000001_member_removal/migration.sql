-- Offboarding (issue 23). A removed member's account is deactivated, not deleted: their name stays
-- on the appointments, records and audit rows they wrote, but it can no longer sign in (and its
-- sessions are revoked in the same transaction). A revoked invitation's code stops working at once.
ALTER TABLE "users" ADD COLUMN "deactivated_at" TIMESTAMPTZ(3);
ALTER TABLE "invitations" ADD COLUMN "revoked_at" TIMESTAMPTZ(3);
