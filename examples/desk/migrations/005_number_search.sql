-- Searching cases by a fragment of their number (工作台 搜索: `number LIKE '%…%'`): the B-tree
-- cases_number (text_pattern_ops) serves only prefixes, which the desk never asks for, so a search
-- read every case of the county. A trigram index serves any fragment of three characters or more;
-- it replaces the B-tree (exact numbers are served by the UNIQUE index). pg_trgm is a trusted
-- extension (PostgreSQL ≥ 13: the database owner may create it), shipped with PGlite and with Citus.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS cases_number_trgm ON cases USING gin (number gin_trgm_ops);
DROP INDEX IF EXISTS cases_number;
