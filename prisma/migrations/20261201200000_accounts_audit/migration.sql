-- Accounts and audit (issue 15): revocable sessions and the append-only, hash-chained audit trail.
-- Mirrors prisma/schema.prisma; what Prisma cannot express (the chain heads' seed rows, the
-- trigger that refuses UPDATE and DELETE of audit rows) is hand-written and marked.

-- One row per sign-in. Every access token names its session (claim `sid`); a token is only good
-- while its session is neither revoked nor past expires_at (SESSION_MAX_AGE after sign-in).
CREATE TABLE "sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Updated at most once a minute per instance (accounts/sessions.ts), never per request.
    "last_seen_at" TIMESTAMPTZ(3),
    "user_agent" TEXT,
    "ip_address" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- Who read or changed which patient's data. Rows are chained per partition (one of 64 chains;
-- each writing transaction takes a chain head no one else holds, audit/audit-trail.ts):
-- hash = sha256(content + prev_hash), seq numbered from 1 in each partition. Actor role is text
-- (roles grow: STAFF), the practice nullable until practices exist.
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "partition" SMALLINT NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_user_id" UUID,
    "actor_role" TEXT NOT NULL,
    "actor_practice_id" UUID,
    "action" TEXT NOT NULL,
    "patient_id" UUID,
    "object_type" TEXT,
    "object_id" TEXT,
    "request_id" TEXT,
    "client_address" TEXT,
    "outcome" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "audit_events_partition_seq_key" ON "audit_events"("partition", "seq");
CREATE INDEX "audit_events_patient_id_id_idx" ON "audit_events"("patient_id", "id");
CREATE INDEX "audit_events_actor_practice_id_at_idx" ON "audit_events"("actor_practice_id", "at");
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- The last row of each partition: a writer locks a head (FOR UPDATE SKIP LOCKED) to take the
-- predecessor, so two writers never chain onto the same row; verification compares the last row
-- with it (a deleted tail is noticed). pruned_* is where retention cut the chain's beginning.
CREATE TABLE "audit_chain_heads" (
    "partition" SMALLINT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "hash" TEXT NOT NULL,
    "pruned_through_seq" BIGINT NOT NULL DEFAULT 0,
    "pruned_through_hash" TEXT NOT NULL,
    CONSTRAINT "audit_chain_heads_pkey" PRIMARY KEY ("partition")
);
-- Hand-written: the 64 partitions exist from the start (audit/audit-chain.ts AUDIT_PARTITIONS),
-- each starting from the all-zero genesis hash.
INSERT INTO "audit_chain_heads" ("partition", "seq", "hash", "pruned_through_seq", "pruned_through_hash")
SELECT p, 0, repeat('0', 64), 0, repeat('0', 64) FROM generate_series(0, 63) AS p;

-- Hand-written: audit rows are append-only for the role the server uses. UPDATE is always
-- refused; DELETE only inside the retention job's transaction (it sets careline.audit_prune) and
-- only for rows older than the cutoff it names, and that job records where it cut the chain.
-- A superuser can still disable the trigger: that is what audit:verify is for.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('careline.audit_prune', true) IS NOT NULL
       AND current_setting('careline.audit_prune', true) <> ''
       AND OLD."at" < current_setting('careline.audit_prune', true)::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_append_only"
    BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate"
    BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
