-- Issue 27: the third-party app a request came through, beside its user, on audit rows and
-- security events ("<user> via <app>"). No foreign key: audit rows outlive the apps they name.
-- The column is covered by the row's hash when set (audit-chain.ts chainedMiddle), and rows
-- without it hash exactly as before, so existing chains still verify.
ALTER TABLE "audit_events" ADD COLUMN "app_id" UUID;
