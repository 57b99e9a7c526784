-- The audit table partitioned by month of "at" (issue 24). Why: six years of rows at hundreds per
-- second cannot be pruned row by row; a month past retention is dropped whole by audit_prune, and
-- queries that name a time range read only its months. Hand-written: Prisma expresses none of it.
--
-- The hash chains ("partition" is a chain number, unrelated to the table's partitions) run across
-- months: a chain's rows live in as many partitions as the months it spans, ordered by seq within the
-- chain. A partitioned table can only enforce uniqueness over keys that include "at", so the key is
-- (id, at) and (partition, seq, at): two rows can no longer share a seq only through the writers
-- (audit/audit-trail.ts locks the chain head for each append), and audit:verify checks it.

-- 1. The existing table becomes the first partition, in place (no copy): its indexes and triggers are
--    renamed out of the way, then it is attached below for every "at" up to the end of this month
--    (or of the month of its newest row, when a clock ran ahead).
ALTER TABLE "audit_events" RENAME TO "audit_events_history";
-- A partition cannot keep a primary key of its own: attaching builds the parent's (id, at) on it.
ALTER TABLE "audit_events_history" DROP CONSTRAINT "audit_events_pkey";
ALTER INDEX "audit_events_partition_seq_key" RENAME TO "audit_events_history_partition_seq_key";
ALTER INDEX "audit_events_patient_id_id_idx" RENAME TO "audit_events_history_patient_id_id_idx";
ALTER INDEX "audit_events_actor_practice_id_at_idx" RENAME TO "audit_events_history_actor_practice_id_at_idx";
ALTER INDEX "audit_events_at_idx" RENAME TO "audit_events_history_at_idx";
DROP TRIGGER "audit_events_append_only" ON "audit_events_history";
DROP TRIGGER "audit_events_no_truncate" ON "audit_events_history";
ALTER TABLE "audit_events_history" ALTER COLUMN "id" DROP DEFAULT;
ALTER SEQUENCE "audit_events_id_seq" OWNED BY NONE;

CREATE TABLE "audit_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('audit_events_id_seq'),
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
    "user_agent" TEXT,
    "app_id" UUID,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id", "at")
) PARTITION BY RANGE ("at");
ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id";
CREATE UNIQUE INDEX "audit_events_partition_seq_at_key" ON "audit_events"("partition", "seq", "at");
CREATE INDEX "audit_events_patient_id_id_idx" ON "audit_events"("patient_id", "id");
CREATE INDEX "audit_events_actor_practice_id_at_idx" ON "audit_events"("actor_practice_id", "at");
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- Row triggers on a partitioned table are cloned onto every partition, present and future. TRUNCATE
-- of the parent fires its own statement trigger; a partition's TRUNCATE needs rights the server's
-- role never has on a partition (careline_grant_app_role, audit_prepare_partitions).
CREATE TRIGGER "audit_events_append_only"
    BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate"
    BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();

DO $$
DECLARE
    upper_bound timestamptz := greatest(
        date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 month',
        (SELECT date_trunc('month', max("at") AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 month' FROM "audit_events_history"));
BEGIN
    EXECUTE format('ALTER TABLE "audit_events" ATTACH PARTITION "audit_events_history" FOR VALUES FROM (MINVALUE) TO (%L)', upper_bound);
END;
$$;

-- 2. Rows whose month has no partition yet (a clock far ahead, a missed preparation) land here
--    rather than failing the read they record. audit_prepare_partitions never creates a month this
--    partition already holds rows of; audit_prune deletes from it row by row.
CREATE TABLE "audit_events_default" PARTITION OF "audit_events" DEFAULT;

-- 3. One partition per UTC month, made ahead of time by the server (at startup and daily, with the
--    retention job: audit/audit-retention.ts). It runs as the tables' owner, so the server's role
--    creates nothing; each new partition is readable and writable only through audit_events (its
--    own grants are revoked, so no role can write or delete in it directly).
CREATE FUNCTION "audit_prepare_partitions"(months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET TimeZone = 'UTC'
    SET DateStyle = 'ISO'
AS $$
DECLARE
    month_start timestamptz;
    last_start timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                              + make_interval(months => least(greatest(months_ahead, 0), 24));
    part_name text;
    grantee_name text;
    created integer := 0;
BEGIN
    -- The first month after the newest partition with an upper bound (the default has none).
    SELECT coalesce(max(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz),
                    date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
      INTO month_start
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'audit_events'::regclass;
    WHILE month_start <= last_start LOOP
        -- A month the default partition already holds rows of stays there (creating it would fail).
        IF NOT EXISTS (SELECT 1 FROM audit_events_default
                        WHERE "at" >= month_start AND "at" < month_start + interval '1 month') THEN
            part_name := 'audit_events_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                           part_name, month_start, month_start + interval '1 month');
            EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part_name);
            FOR grantee_name IN
                SELECT DISTINCT r.rolname FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
                 WHERE c.oid = part_name::regclass AND a.grantee <> c.relowner
            LOOP
                EXECUTE format('REVOKE ALL ON %I FROM %I', part_name, grantee_name);
            END LOOP;
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;
    RETURN created;
END;
$$;
REVOKE EXECUTE ON FUNCTION "audit_prepare_partitions"(integer) FROM PUBLIC;
SELECT "audit_prepare_partitions"(2);

-- 4. Retention drops whole months: after cutting each chain at its start as before, a partition
--    whose every row lies before the cutoff and below its chain's cut is dropped (no row-by-row
--    DELETE, no dead tuples to vacuum); what is left past the cut (the default partition, a month
--    straddling the cutoff) is deleted row by row as before.
CREATE OR REPLACE FUNCTION "audit_prune"(requested_cutoff timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET TimeZone = 'UTC'
    SET DateStyle = 'ISO'
    SET careline.audit_retention_seconds = '189216000'
    SET careline.audit_pruning = 'on'
AS $$
DECLARE
    cutoff timestamptz := least(requested_cutoff,
                                now() - make_interval(secs => current_setting('careline.audit_retention_seconds')::bigint));
    deleted integer := 0;
    kept integer;
    part record;
BEGIN
    -- Heads first, as every writer locks them: a concurrent writer waits rather than races.
    PERFORM 1 FROM audit_chain_heads ORDER BY partition FOR UPDATE;
    WITH bound AS (
        SELECT h.partition,
               COALESCE((SELECT min(e.seq) FROM audit_events e WHERE e.partition = h.partition AND e.at >= cutoff) - 1, h.seq) AS upto
        FROM audit_chain_heads h
    )
    UPDATE audit_chain_heads AS h SET pruned_through_seq = e.seq, pruned_through_hash = e.hash
    FROM bound b JOIN audit_events e ON e.partition = b.partition AND e.seq = b.upto
    WHERE h.partition = b.partition AND b.upto > h.pruned_through_seq;
    FOR part IN
        SELECT c.oid::regclass AS name,
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'audit_events'::regclass
    LOOP
        CONTINUE WHEN part.upper_bound IS NULL OR part.upper_bound > cutoff;
        -- A row past its chain's cut (a writer whose clock lagged across the month's end) keeps the
        -- month: it is deleted row by row below once its chain's cut passes it.
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s e JOIN audit_chain_heads h ON h.partition = e.partition
                         WHERE e.seq > h.pruned_through_seq)::int', part.name) INTO kept;
        CONTINUE WHEN kept > 0;
        EXECUTE format('SELECT count(*) FROM %s', part.name) INTO kept;
        EXECUTE format('DROP TABLE %s', part.name);
        deleted := deleted + kept;
    END LOOP;
    DELETE FROM audit_events e USING audit_chain_heads h WHERE e.partition = h.partition AND e.seq <= h.pruned_through_seq;
    GET DIAGNOSTICS kept = ROW_COUNT;
    RETURN deleted + kept;
END;
$$;

-- 5. The app role's grants, as before, and none on any partition of the audit table: the server
--    reads and appends through audit_events, whose rights (SELECT, INSERT) are all it needs.
CREATE OR REPLACE FUNCTION "careline_grant_app_role"(app_role name) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    part regclass;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app_role);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_events FROM %I', app_role);
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_events'::regclass LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', part, app_role);
    END LOOP;
    EXECUTE format('REVOKE DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_chain_heads FROM %I', app_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM %I', app_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_prune(timestamptz) TO %I', app_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_prepare_partitions(integer) TO %I', app_role);
END;
$$;
REVOKE EXECUTE ON FUNCTION "careline_grant_app_role"(name) FROM PUBLIC;
