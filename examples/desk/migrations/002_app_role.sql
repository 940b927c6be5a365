-- The role the app runs as (SET ROLE after migrating, or log in as it): append-only tables by
-- privileges, never by triggers (Citus does not support triggers on distributed tables).
-- 应用以此角色运行：case_events、audit_log 只有 SELECT、INSERT 权限，不可改、不可删。
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jiceng_app') THEN
    BEGIN
      CREATE ROLE jiceng_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database of the same cluster created it at the same moment
    END;
  END IF;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM jiceng_app;
GRANT USAGE ON SCHEMA public TO jiceng_app;
GRANT SELECT ON counties, packs TO jiceng_app;
GRANT INSERT, UPDATE ON packs TO jiceng_app;
GRANT SELECT, INSERT ON pack_bindings, units, users, user_roles TO jiceng_app;
GRANT UPDATE ON users, units TO jiceng_app;
GRANT DELETE ON user_roles TO jiceng_app;
GRANT SELECT, INSERT, UPDATE ON number_seq, cases, outbox, notifications, audit_head TO jiceng_app;
GRANT SELECT, INSERT, DELETE ON sessions, idempotency TO jiceng_app;
-- append-only
GRANT SELECT, INSERT ON case_events, audit_log TO jiceng_app;
GRANT SELECT ON schema_migrations TO jiceng_app;
