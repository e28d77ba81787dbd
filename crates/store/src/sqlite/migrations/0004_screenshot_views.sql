-- Every time someone other than its owner opens a screenshot (image or
-- thumbnail), one row here, shown to the owner. Rows are only ever added:
-- no statement of the store updates or deletes them, and they outlive the
-- screenshot (no foreign key, no cascade).
CREATE TABLE screenshot_views (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    org_id        TEXT    NOT NULL,
    screenshot_id TEXT    NOT NULL,
    -- The screenshot's owner (named like every other table's employee).
    employee_id   TEXT    NOT NULL,
    viewer_id     TEXT    NOT NULL,
    viewed_at     INTEGER NOT NULL,
    thumb         INTEGER NOT NULL
);
CREATE INDEX screenshot_views_owner ON screenshot_views (org_id, employee_id, viewed_at);
