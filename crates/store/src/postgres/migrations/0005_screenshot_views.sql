-- Every time someone other than its owner opens a screenshot (image or
-- thumbnail), one row here, shown to the owner. Rows are only ever added:
-- no statement of the store updates or deletes them, and they outlive the
-- screenshot (no foreign key, no cascade).
CREATE TABLE screenshot_views (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            UUID    NOT NULL UNIQUE,
    org_id        UUID    NOT NULL,
    screenshot_id UUID    NOT NULL,
    -- The screenshot's owner (named like every other table's employee).
    employee_id   UUID    NOT NULL,
    viewer_id     UUID    NOT NULL,
    viewed_at     BIGINT  NOT NULL,
    thumb         BOOLEAN NOT NULL
);
CREATE INDEX screenshot_views_owner_idx ON screenshot_views (org_id, employee_id, viewed_at);
