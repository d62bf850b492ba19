-- eventkit:no-transaction
-- The event's own configuration (GET/PUT /api/v1/event): time zone, default re-entry window, opening hours per gate
-- kind. Start and end become optional (an event row a node creates for itself has neither). Each statement runs on its
-- own and is idempotent, so an interrupted run resumes.
ALTER TABLE events ADD COLUMN IF NOT EXISTS time_zone text NOT NULL DEFAULT 'UTC' CHECK (char_length(time_zone) BETWEEN 1 AND 100);
ALTER TABLE events ADD COLUMN IF NOT EXISTS re_entry_window interval CHECK (re_entry_window BETWEEN interval '0' AND interval '24 hours');
-- {"entrance":[{"days":["mon",..]?,"open":"09:00","close":"18:00"}],"exit":[..],"session":[..]}; NULL = always open.
ALTER TABLE events ADD COLUMN IF NOT EXISTS opening_hours jsonb CHECK (opening_hours IS NULL OR jsonb_typeof(opening_hours) = 'object');
ALTER TABLE events ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE events ALTER COLUMN starts_at DROP NOT NULL;
ALTER TABLE events ALTER COLUMN ends_at DROP NOT NULL;

-- Search covers the parts of an e-mail address: 'simple' keeps "ada@example.org" as one token, so neither
-- q=example nor q=ada@example.org (split into words by the API) matched it. '@', '.', '_', '+', '-' become spaces.
CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_fulltext_idx ON participants USING gin (to_tsvector('simple', name || ' ' || translate(coalesce(email, ''), '@._+-', '     ')));
DROP INDEX CONCURRENTLY IF EXISTS participants_search_idx;
