-- 005_tokens_and_audit: who may change what, and the record of what they did.
--
-- api_tokens holds bearer tokens by their SHA-256 only: the token itself is
-- shown once when it is made (npm run token -- create) and never stored or
-- logged. A token reads "lc_<id>_<secret>": the id finds the row, the
-- secret's hash is compared in constant time. Revoked or expired tokens stay
-- as rows, so the audit trail can still name them.
CREATE TABLE api_tokens (
  id          serial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role        text NOT NULL CHECK (role IN ('reader', 'planner', 'admin')),
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);

-- audit_log: every write (centers, scenarios, apply, tokens), recorded in the
-- transaction of the write itself, with the row before and after. Append
-- only: the triggers below refuse UPDATE, DELETE and TRUNCATE, so a record
-- cannot be edited away through the API or by mistake.
CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- The token's name (never the token); 'cli' for the command line.
  actor     text NOT NULL,
  token_id  integer,
  -- e.g. center.add, center.update, center.remove, scenario.create, scenario.apply, token.create
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text,
  before    jsonb,
  after     jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
