-- A refresh whose answer was lost: the agent retries with the token the
-- server has just rotated out. The session keeps that previous hash and
-- when it was replaced, so the retry is taken once within a short grace
-- instead of being mistaken for a stolen token.
ALTER TABLE sessions ADD COLUMN previous_hash TEXT;
ALTER TABLE sessions ADD COLUMN rotated_at INTEGER;
