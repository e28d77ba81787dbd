-- Issue 18: a view of a screenshot lives as long as the screenshot plus one
-- year. When a screenshot is deleted (by hand or by retention) its id and
-- the moment go here, in the same statement; the hourly purge removes the
-- views (and the tombstone) a year after that.
CREATE TABLE screenshot_tombstones (
    screenshot_id UUID   PRIMARY KEY,
    org_id        UUID   NOT NULL,
    deleted_at    BIGINT NOT NULL
);
CREATE INDEX screenshot_views_shot_idx ON screenshot_views (screenshot_id);
