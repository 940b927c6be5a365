-- The desk's schema. Tenant = county: every tenant table's primary key starts with county_code,
-- every unique constraint includes it (Citus: distribution column). Reference tables (counties,
-- packs) are small and copied to every node. Identity columns are bigint; no triggers, no
-- sequences for case numbers (number_seq rows are gapless and transactional).
-- 租户即县（区）：每张租户表的主键以 county_code 开头，唯一约束都包含它。

-- reference
CREATE TABLE counties (
  county_code text PRIMARY KEY CHECK (county_code ~ '^[0-9A-Za-z-]{2,20}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- reference: a pack version is shared by every county that binds it. Four eyes: the reviewer and
-- the publisher are not the author (CHECK), a published version is immutable (the app never
-- updates content; sha256 is of the content as stored).
CREATE TABLE packs (
  pack_id text NOT NULL,
  version text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'review', 'published', 'retired')),
  content jsonb NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  reviewed_by text,
  reviewed_at timestamptz,
  published_by text,
  published_at timestamptz,
  PRIMARY KEY (pack_id, version),
  CONSTRAINT packs_four_eyes CHECK (
    (reviewed_by IS NULL OR reviewed_by <> created_by)
    AND (published_by IS NULL OR published_by <> created_by)
  ),
  CONSTRAINT packs_published_complete CHECK (
    status NOT IN ('published', 'retired') OR (published_by IS NOT NULL AND published_at IS NOT NULL AND reviewed_by IS NOT NULL)
  )
);

-- tenant: which pack version a county uses, from when.
CREATE TABLE pack_bindings (
  county_code text NOT NULL,
  pack_id text NOT NULL,
  valid_from timestamptz NOT NULL,
  version text NOT NULL,
  bound_by text NOT NULL,
  bound_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, pack_id, valid_from),
  FOREIGN KEY (pack_id, version) REFERENCES packs (pack_id, version)
);

-- tenant: the organisation tree. path = '/<root>/<...>/<unit_id>/' so a subtree is a prefix.
CREATE TABLE units (
  county_code text NOT NULL REFERENCES counties (county_code),
  unit_id text NOT NULL CHECK (unit_id ~ '^[0-9A-Za-z_-]{1,40}$'),
  parent_id text,
  kind text NOT NULL CHECK (kind IN ('county', 'township', 'village', 'grid', 'department', 'platform')),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  path text NOT NULL,
  PRIMARY KEY (county_code, unit_id),
  FOREIGN KEY (county_code, parent_id) REFERENCES units (county_code, unit_id)
);
CREATE INDEX units_path ON units (county_code, path text_pattern_ops);

-- tenant: one counter row per number scope. Never a SEQUENCE: a rolled-back intake gives its
-- number back because the row update rolls back with it.
CREATE TABLE number_seq (
  county_code text NOT NULL,
  scope text NOT NULL,
  value integer NOT NULL CHECK (value >= 0),
  max integer NOT NULL CHECK (max > 0),
  PRIMARY KEY (county_code, scope),
  CHECK (value <= max)
);

CREATE TABLE users (
  county_code text NOT NULL REFERENCES counties (county_code),
  user_id uuid NOT NULL,
  login text NOT NULL CHECK (login ~ '^[a-z0-9._-]{2,40}$'),
  display_name text NOT NULL,
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, user_id),
  UNIQUE (county_code, login)
);

-- tenant: a role over a unit and its subtree (the county's root unit = the whole county).
CREATE TABLE user_roles (
  county_code text NOT NULL,
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('intake', 'dispatch', 'handler', 'unit_head', 'centre_head', 'supervisor', 'rule_editor', 'rule_reviewer', 'auditor', 'admin')),
  unit_id text NOT NULL,
  granted_by text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, user_id, role, unit_id),
  FOREIGN KEY (county_code, user_id) REFERENCES users (county_code, user_id),
  FOREIGN KEY (county_code, unit_id) REFERENCES units (county_code, unit_id)
);

-- tenant: sessions; the token names its county, so a request finds its shard without a lookup.
CREATE TABLE sessions (
  county_code text NOT NULL,
  token_hash text NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (county_code, token_hash),
  FOREIGN KEY (county_code, user_id) REFERENCES users (county_code, user_id)
);

CREATE TABLE cases (
  county_code text NOT NULL,
  case_id uuid NOT NULL,
  number text NOT NULL,
  number_year integer NOT NULL,
  pack_id text NOT NULL,
  pack_version text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('visit', 'phone', 'grid', 'hotline-12345', 'referral', 'import')),
  title text NOT NULL,
  state text NOT NULL,
  status text NOT NULL,
  level text NOT NULL,
  rank integer NOT NULL,
  intake_unit_id text NOT NULL,
  unit_id text NOT NULL,
  received_at timestamptz NOT NULL,
  due_at timestamptz,
  warn_at timestamptz,
  next_tick_at timestamptz,
  last_event_at timestamptz NOT NULL,
  overdue boolean NOT NULL DEFAULT false,
  awaiting_decision boolean NOT NULL DEFAULT false,
  to_sign_for boolean NOT NULL DEFAULT false,
  to_follow_up boolean NOT NULL DEFAULT false,
  snapshot jsonb NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, case_id),
  -- a pack's number may repeat across years (固原: MMDD + codes + seq), so the year is part of it
  UNIQUE (county_code, pack_id, number_year, number),
  FOREIGN KEY (pack_id, pack_version) REFERENCES packs (pack_id, version),
  FOREIGN KEY (county_code, unit_id) REFERENCES units (county_code, unit_id)
);
CREATE INDEX cases_due ON cases (county_code, due_at, case_id);
CREATE INDEX cases_tick ON cases (county_code, next_tick_at) WHERE next_tick_at IS NOT NULL;
CREATE INDEX cases_unit ON cases (county_code, unit_id);
CREATE INDEX cases_number ON cases (county_code, number text_pattern_ops);

-- tenant, append-only (privileges, not triggers): seq = the case's version after the event.
CREATE TABLE case_events (
  county_code text NOT NULL,
  case_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  type text NOT NULL,
  event jsonb NOT NULL,
  actor text NOT NULL,
  request_id text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, case_id, seq),
  FOREIGN KEY (county_code, case_id) REFERENCES cases (county_code, case_id)
);

-- tenant: a retried POST with the same key gets the stored answer.
CREATE TABLE idempotency (
  county_code text NOT NULL,
  user_id uuid NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash text NOT NULL,
  status integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, user_id, key)
);

CREATE TABLE outbox (
  county_code text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  case_id uuid,
  kind text NOT NULL,
  channel text NOT NULL DEFAULT 'in-app',
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  delivered_at timestamptz,
  last_error text,
  PRIMARY KEY (county_code, id)
);
CREATE INDEX outbox_pending ON outbox (county_code, available_at) WHERE delivered_at IS NULL;

-- tenant: in-app notifications, what the outbox delivers today (SMS / IM / 12345 are seams).
CREATE TABLE notifications (
  county_code text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  unit_id text NOT NULL,
  case_id uuid,
  outbox_id bigint NOT NULL,
  message jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (county_code, id),
  UNIQUE (county_code, outbox_id)
);

-- tenant, append-only, hash-chained per county: hash = sha256(prev hash || body).
CREATE TABLE audit_head (
  county_code text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (county_code)
);
CREATE TABLE audit_log (
  county_code text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL CHECK (action IN ('login', 'login_failed', 'view', 'export', 'event', 'event_rejected', 'pack_create', 'pack_submit', 'pack_publish', 'pack_bind', 'role_change')),
  case_id uuid,
  body text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (county_code, seq)
);
