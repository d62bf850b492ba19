-- Issue 12: the audit log of management changes, and versioned credential hashes.

-- One row per management change (participants, gates, gateways, scanners). Never holds tokens or keys: old_value and
-- new_value carry statuses and names only. Read newest first by (event_id, id).
CREATE TABLE IF NOT EXISTS audit_log (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     bigint      NOT NULL CHECK (event_id > 0),
    occurred_at  timestamptz NOT NULL,
    actor        text        NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 100),
    action       text        NOT NULL CHECK (char_length(action) BETWEEN 1 AND 100),
    entity_kind  text        NOT NULL CHECK (char_length(entity_kind) BETWEEN 1 AND 50),
    entity_id    bigint,
    old_value    jsonb,
    new_value    jsonb
);

CREATE INDEX IF NOT EXISTS audit_log_event_idx ON audit_log (event_id, id DESC);

-- The scheme each credential hash was made with: 0 = plain SHA-256 (every row before this migration), otherwise
-- HMAC-SHA256 under the pepper with that version (CredentialHasher.VersionOf). Rows of an older version are re-hashed
-- on their first successful use. Adding a column with a constant default rewrites nothing.
ALTER TABLE participants ADD COLUMN IF NOT EXISTS hash_version smallint NOT NULL DEFAULT 0;
ALTER TABLE scanners ADD COLUMN IF NOT EXISTS hash_version smallint NOT NULL DEFAULT 0;
ALTER TABLE gateways ADD COLUMN IF NOT EXISTS hash_version smallint NOT NULL DEFAULT 0;
