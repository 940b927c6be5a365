-- Logout (POST /api/logout) ends a session and is audited like a login.
-- 退出登录删除会话并记入审计日志。
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN ('login', 'login_failed', 'logout', 'view', 'export', 'event', 'event_rejected', 'pack_create', 'pack_submit', 'pack_publish', 'pack_bind', 'role_change'));
