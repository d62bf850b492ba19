-- eventkit:no-transaction
-- participants may already hold rows (an upgrade), so these indexes are built CONCURRENTLY: no
-- write lock on the table. Each statement runs on its own; an index a failed run left INVALID is
-- dropped and rebuilt by the migrator before the statement runs again.

-- Credentials are unique among active participants; the check-in lookup probes this index.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS participants_active_token_idx ON participants (token_hash) WHERE status = 'active';

-- Lets a lookup that finds no active holder tell "inactive" from "unknown".
CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_inactive_token_idx ON participants (token_hash) WHERE status <> 'active';

CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_event_idx ON participants (event_id, id);

-- Full-text search over name and e-mail; 'simple' does no stemming, which suits names in any language.
CREATE INDEX CONCURRENTLY IF NOT EXISTS participants_search_idx ON participants USING gin (to_tsvector('simple', name || ' ' || coalesce(email, '')));
