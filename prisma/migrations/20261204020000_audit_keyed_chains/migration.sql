-- Audit chains keyed (issue 24): rows are chained with HMAC-SHA256 under AUDIT_KEY, which the
-- server passes to each statement as a bound parameter and the database never stores
-- (audit/audit-trail.ts, APPEND_ROWS). pgcrypto gives SQL its `hmac`.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- From which seq each chain is keyed: the rows written before this migration keep their plain
-- sha256 hashes and stay verifiable; every row after them is keyed. audit:verify checks this
-- column against the signed checkpoints (moving it would let an editor pass sha256 rows off).
ALTER TABLE "audit_chain_heads" ADD COLUMN "keyed_from_seq" BIGINT NOT NULL DEFAULT 1;
UPDATE "audit_chain_heads" SET "keyed_from_seq" = "seq" + 1;
