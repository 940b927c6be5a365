-- The audit chain no longer serialises writers. Until now every audit row took the county's
-- audit_head row lock to chain itself (hash = sha256(previous hash || body)) and held it until
-- commit, so every intake of a county waited for the one before it. Now a writer appends its entry
-- (audit_log) and a marker (audit_pending) in its own transaction, taking no shared lock; a sealer
-- (one at a time per county, under the audit_head row lock) chains the committed entries in the
-- order it finds them — commit order, in batches — into audit_seal: seq, entry, hash. The hash is
-- the same as before, sha256(previous hash || body), so the chain written before this migration
-- carries over unchanged and verifies the same way.
-- 审计链不再让写入排队：写入者只追加条目和“待封”标记；封链者按提交顺序分批把已提交的条目串进哈希链。

ALTER TABLE audit_log ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;

-- tenant, append-only: the chain. One row per sealed entry; seq is gapless per county.
CREATE TABLE audit_seal (
  county_code text NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  entry_id bigint NOT NULL,
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, seq),
  UNIQUE (county_code, entry_id)
);

-- The rows chained so far keep their place and hash.
INSERT INTO audit_seal (county_code, seq, entry_id, hash)
SELECT county_code, seq, id, hash FROM audit_log;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log DROP COLUMN seq;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (county_code, id);
CREATE INDEX audit_log_case ON audit_log (county_code, case_id) WHERE case_id IS NOT NULL;

-- tenant: entries written but not sealed yet (a queue: the sealer deletes what it chains).
CREATE TABLE audit_pending (
  county_code text NOT NULL,
  entry_id bigint NOT NULL,
  PRIMARY KEY (county_code, entry_id)
);

-- reference: which counties a login exists in, so a user can sign in without typing the county
-- code (Citus: a small replicated table; the users table itself stays distributed by county).
CREATE TABLE login_directory (
  login text NOT NULL,
  county_code text NOT NULL REFERENCES counties (county_code),
  PRIMARY KEY (login, county_code)
);
INSERT INTO login_directory (login, county_code) SELECT login, county_code FROM users;

GRANT SELECT, INSERT ON audit_seal TO jiceng_app;
GRANT SELECT, INSERT, DELETE ON audit_pending TO jiceng_app;
GRANT SELECT, INSERT ON login_directory TO jiceng_app;
GRANT SELECT, INSERT ON audit_log TO jiceng_app;
