-- Issue 24: webhook payloads carry no free text unless the endpoint opted in (include_reason), and
-- deleting an endpoint keeps it and its delivery log for AUDIT_RETENTION (deleted_at): the
-- deliveries are disclosures an auditor may ask about. Existing endpoints stop receiving the
-- appointment's reason until an admin re-creates them with includeReason: true.
ALTER TABLE "webhook_endpoints" ADD COLUMN "include_reason" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "webhook_endpoints" ADD COLUMN "deleted_at" TIMESTAMPTZ(3);
