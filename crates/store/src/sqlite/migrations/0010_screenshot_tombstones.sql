-- Issue 18: a view of a screenshot lives as long as the screenshot plus one
-- year. When a screenshot is deleted (by hand or by retention) its id and
-- the moment go here, in the same transaction; the hourly purge removes
-- the views (and the tombstone) a year after that.
CREATE TABLE screenshot_tombstones (
    screenshot_id TEXT    PRIMARY KEY,
    org_id        TEXT    NOT NULL,
    deleted_at    INTEGER NOT NULL
);
CREATE INDEX screenshot_views_shot ON screenshot_views (screenshot_id);
