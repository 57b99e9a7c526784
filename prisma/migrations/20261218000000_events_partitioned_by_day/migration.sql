-- The outbox (events) partitioned by UTC day of "created_at" (issue 30). Why: at 400 bookings/s a
-- day is ~35 M events, and EVENT_RETENTION used to be enforced by DELETE ... LIMIT, row by row,
-- each row a dead tuple to vacuum. A day past retention is now dropped whole by events_prune.
-- pg_partman would manage the same partitions, but it is an extension neither Debian's PostgreSQL
-- here nor the embedded PGlite ships: plain declarative partitions, managed by these functions
-- and called by the server (live/outbox-dispatcher.ts). Hand-written: Prisma expresses none of it.
--
-- Uniqueness. A partitioned table can only enforce uniqueness over keys that include "created_at",
-- so the keys are (id, created_at) and (stream, seq, created_at). (stream, seq) stays unique
-- through its only writer: outbox_append_events takes each event's seq from its stream's counter
-- row in event_streams, bumped under that row's lock in the same statement, so no two events of
-- a stream are ever given one seq (live/outbox-partitions.int.test.ts checks it under concurrency).
-- id comes from a sequence, unique by construction.

-- 1. The existing table becomes the first partition, in place (no copy): its constraint and
--    indexes are renamed out of the way, then it is attached for every "created_at" up to the end
--    of today (UTC), or of the day of its newest row when a clock ran ahead.
ALTER TABLE "events" RENAME TO "events_history";
-- A partition cannot keep a primary key of its own: attaching builds the parent's (id, created_at) on it.
ALTER TABLE "events_history" DROP CONSTRAINT "events_pkey";
ALTER INDEX "events_stream_seq_key" RENAME TO "events_history_stream_seq_key";
ALTER INDEX "events_created_at_idx" RENAME TO "events_history_created_at_idx";
ALTER INDEX "events_unpublished_idx" RENAME TO "events_history_unpublished_idx";
ALTER TABLE "events_history" ALTER COLUMN "id" DROP DEFAULT;
ALTER SEQUENCE "events_id_seq" OWNED BY NONE;

CREATE TABLE "events" (
    "id" BIGINT NOT NULL DEFAULT nextval('events_id_seq'),
    "stream" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "events_pkey" PRIMARY KEY ("id", "created_at")
) PARTITION BY RANGE ("created_at");
ALTER SEQUENCE "events_id_seq" OWNED BY "events"."id";
-- Readers look up (stream, seq > n): the key's first two columns.
CREATE UNIQUE INDEX "events_stream_seq_created_at_key" ON "events"("stream", "seq", "created_at");
CREATE INDEX "events_created_at_idx" ON "events"("created_at");
CREATE INDEX "events_unpublished_idx" ON "events"("stream", "seq") WHERE "published_at" IS NULL;

-- The old table's grants (the server's role, when it is not the owner) carry over to the parent:
-- the server reads and writes only through "events".
DO $$
DECLARE
    grant_row record;
BEGIN
    FOR grant_row IN
        SELECT r.rolname, a.privilege_type
          FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
         WHERE c.oid = 'events_history'::regclass AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('GRANT %s ON "events" TO %I', grant_row.privilege_type, grant_row.rolname);
    END LOOP;
END;
$$;

DO $$
DECLARE
    upper_bound timestamptz := greatest(
        date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day',
        (SELECT date_trunc('day', max("created_at") AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day' FROM "events_history"));
BEGIN
    EXECUTE format('ALTER TABLE "events" ATTACH PARTITION "events_history" FOR VALUES FROM (MINVALUE) TO (%L)', upper_bound);
END;
$$;
-- Attaching adopted the old created_at and unpublished indexes and built the two keys; the old
-- unique (stream, seq) index would only cost every write of the rest of today.
DROP INDEX "events_history_stream_seq_key";

-- 2. Rows whose day has no partition yet (a clock far ahead, a missed preparation) land here
--    rather than failing the transaction that wrote them. events_prepare_partitions moves them
--    into their day's partition when it creates it; events_prune deletes what is left here row by row.
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;

-- 3. One partition per UTC day, "events_YYYYMMDD", made ahead by the server with its clock
--    (live/outbox-dispatcher.ts, at startup and every 10 minutes with the pruning). It runs as the
--    tables' owner, so the server's role creates nothing. Days are prepared from the server's
--    clock and from the database's (rows take the database's time): each for `days_ahead` days
--    after its own. A day the default partition already holds rows of is created with them moved in.
--    One caller at a time (an advisory lock): instances prepare the same days concurrently.
CREATE FUNCTION "events_prepare_partitions"(at_time timestamptz, days_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET TimeZone = 'UTC'
    SET DateStyle = 'ISO'
    SET lock_timeout = '2s'
AS $$
DECLARE
    ahead integer := least(greatest(days_ahead, 0), 31);
    day_start timestamptz;
    part_name text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('careline.events_partitions'));
    FOR day_start IN
        SELECT DISTINCT d FROM (
            SELECT generate_series(date_trunc('day', coalesce(at_time, now())), date_trunc('day', coalesce(at_time, now())) + make_interval(days => ahead), interval '1 day') AS d
            UNION
            SELECT generate_series(date_trunc('day', now()), date_trunc('day', now()) + make_interval(days => ahead), interval '1 day')
            UNION
            SELECT date_trunc('day', "created_at") FROM events_default
        ) days ORDER BY d
    LOOP
        -- A day some partition (a day's, or the history's) already covers.
        CONTINUE WHEN EXISTS (
            SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             CROSS JOIN LATERAL (SELECT substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \(''([^'']+)''\)')::timestamptz AS lower_bound,
                                        substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound) b
             WHERE i.inhparent = 'events'::regclass
               AND b.upper_bound IS NOT NULL AND b.upper_bound > day_start
               AND (b.lower_bound IS NULL OR b.lower_bound < day_start + interval '1 day'));
        part_name := 'events_' || to_char(day_start, 'YYYYMMDD');
        IF EXISTS (SELECT 1 FROM events_default WHERE "created_at" >= day_start AND "created_at" < day_start + interval '1 day') THEN
            -- Its rows leave the default partition for their day's (attaching checks none is left behind).
            EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
            EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE "created_at" >= %L AND "created_at" < %L RETURNING *)
                            INSERT INTO %I SELECT * FROM moved', day_start, day_start + interval '1 day', part_name);
            EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           part_name, day_start, day_start + interval '1 day');
        ELSE
            EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                           part_name, day_start, day_start + interval '1 day');
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE EXECUTE ON FUNCTION "events_prepare_partitions"(timestamptz, integer) FROM PUBLIC;
SELECT "events_prepare_partitions"(now(), 3);

-- 4. Retention drops whole days: a partition whose every possible row is older than the cutoff
--    (its upper bound at or before it) is detached, unless it still holds an event nobody has
--    published (the DELETE never removed those either; it goes once the sweep has published
--    them). The default partition has no bound: its published rows past the cutoff are deleted
--    row by row, `batch_size` at a time, as are the history's until its own bound passes the
--    cutoff. The day that straddles the cutoff is kept until it ends: an event stays resumable at
--    least EVENT_RETENTION and at most a day longer.
--    Detaching takes a moment's ACCESS EXCLUSIVE lock on "events" (lock_timeout bounds how long
--    writers can queue behind it; the next run retries) and is only a catalog change. The detached
--    day is dropped by events_drop_detached, in a transaction of its own: removing a day's files
--    takes about a second per million rows, and that must not happen under the parent's lock.
CREATE FUNCTION "events_prune"(cutoff timestamptz, batch_size integer)
    RETURNS TABLE(dropped_partitions integer, deleted_events integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET TimeZone = 'UTC'
    SET DateStyle = 'ISO'
    SET lock_timeout = '2s'
AS $$
DECLARE
    part record;
    unpublished boolean;
    deleted integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('careline.events_partitions'));
    dropped_partitions := 0;
    deleted_events := 0;
    FOR part IN
        SELECT c.oid::regclass AS name,
               substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'events'::regclass
    LOOP
        CONTINUE WHEN part.upper_bound IS NULL OR part.upper_bound > cutoff;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE published_at IS NULL)', part.name) INTO unpublished;
        CONTINUE WHEN unpublished;
        EXECUTE format('ALTER TABLE events DETACH PARTITION %s', part.name);
        dropped_partitions := dropped_partitions + 1;
    END LOOP;
    FOR part IN
        SELECT c.oid::regclass AS name
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'events'::regclass AND c.relname IN ('events_default', 'events_history')
    LOOP
        EXECUTE format('WITH gone AS (DELETE FROM %s WHERE id IN (
                            SELECT id FROM %s WHERE "created_at" < %L AND published_at IS NOT NULL LIMIT %s)
                          RETURNING 1) SELECT count(*)::int FROM gone',
                       part.name, part.name, cutoff, greatest(batch_size, 1)) INTO deleted;
        deleted_events := deleted_events + deleted;
    END LOOP;
    RETURN NEXT;
END;
$$;
REVOKE EXECUTE ON FUNCTION "events_prune"(timestamptz, integer) FROM PUBLIC;

-- Drops the days events_prune detached (tables named like a day's partition, or the history,
-- that are no partition any more), each in this call's own transaction, away from "events".
CREATE FUNCTION "events_drop_detached"() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET lock_timeout = '2s'
AS $$
DECLARE
    part regclass;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('careline.events_partitions'));
    FOR part IN
        SELECT c.oid::regclass FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
           AND c.relname ~ '^events_([0-9]{8}|history)$'
    LOOP
        EXECUTE format('DROP TABLE %s', part);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END;
$$;
REVOKE EXECUTE ON FUNCTION "events_drop_detached"() FROM PUBLIC;

-- The roles that could write events before (the server's, when not the owner) may run all three.
DO $$
DECLARE
    role_name name;
BEGIN
    FOR role_name IN
        SELECT DISTINCT r.rolname
          FROM pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
         WHERE c.oid = 'events'::regclass AND a.grantee <> c.relowner AND a.privilege_type = 'INSERT'
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION events_prepare_partitions(timestamptz, integer) TO %I', role_name);
        EXECUTE format('GRANT EXECUTE ON FUNCTION events_prune(timestamptz, integer) TO %I', role_name);
        EXECUTE format('GRANT EXECUTE ON FUNCTION events_drop_detached() TO %I', role_name);
    END LOOP;
END;
$$;

-- 5. The app role's grants, as before, and retention of events through the three functions above.
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
    EXECUTE format('GRANT EXECUTE ON FUNCTION events_prepare_partitions(timestamptz, integer) TO %I', app_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION events_prune(timestamptz, integer) TO %I', app_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION events_drop_detached() TO %I', app_role);
END;
$$;
REVOKE EXECUTE ON FUNCTION "careline_grant_app_role"(name) FROM PUBLIC;
