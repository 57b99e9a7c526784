-- A database role for the server that cannot change or delete audit rows (issue 24). Hand-written:
-- Prisma expresses none of it. Role names vary between deployments, so no role is created or
-- granted here: `npm run admin -- create-app-role <name>` calls careline_grant_app_role as the
-- tables' owner (docs/operating.md, "A restricted database role").

-- Retention is the only deleter of audit rows, and it deletes through this function only. It runs
-- as its owner (SECURITY DEFINER), so the app role needs no DELETE right on audit_events; it
-- deletes nothing younger than careline.audit_retention_seconds, a setting of the function itself
-- (ALTER FUNCTION ... SET, which only the owner may change; the server's migrating connection sets
-- it to AUDIT_RETENTION at startup), whatever cutoff the caller asks for. Each chain is cut at its
-- start only, and where is recorded (pruned_through_*) so audit:verify tells retention from tampering.
CREATE FUNCTION "audit_prune"(requested_cutoff timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    SET careline.audit_retention_seconds = '189216000'
    SET careline.audit_pruning = 'on'
AS $$
DECLARE
    cutoff timestamptz := least(requested_cutoff,
                                now() - make_interval(secs => current_setting('careline.audit_retention_seconds')::bigint));
    deleted integer;
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
    DELETE FROM audit_events e USING audit_chain_heads h WHERE e.partition = h.partition AND e.seq <= h.pruned_through_seq;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$;
REVOKE EXECUTE ON FUNCTION "audit_prune"(timestamptz) FROM PUBLIC;

-- The append-only trigger, replaced: the session setting careline.audit_prune that let a DELETE
-- through (any session could set it) is gone. A DELETE passes only inside audit_prune (whose own
-- SET clauses, fixed by its owner, are the settings read here) and only for rows past retention.
CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('careline.audit_pruning', true) = 'on'
       AND OLD."at" < now() - make_interval(secs => current_setting('careline.audit_retention_seconds', true)::bigint) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Grants a role what the server needs and nothing more on the audit trail: read and write every
-- table, but on audit_events only SELECT and INSERT (no UPDATE, DELETE, TRUNCATE; not being the
-- owner, it cannot disable the trigger either), and retention through audit_prune. Run it again
-- after upgrading (new tables); tables the owner creates later get the same default rights.
CREATE FUNCTION "careline_grant_app_role"(app_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app_role);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_events FROM %I', app_role);
    EXECUTE format('REVOKE DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_chain_heads FROM %I', app_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM %I', app_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_prune(timestamptz) TO %I', app_role);
END;
$$;
REVOKE EXECUTE ON FUNCTION "careline_grant_app_role"(name) FROM PUBLIC;
