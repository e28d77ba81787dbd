-- Stint on SQLite, first schema.
--
-- Conventions (see sqlite/mod.rs): instants are INTEGER milliseconds since
-- the Unix epoch, uuids are hyphenated lowercase TEXT, local dates are TEXT
-- 'YYYY-MM-DD' (so they sort and compare as dates), booleans are 0/1.
-- Every table has an integer `seq` (the IceHrm id where the model has one)
-- and a uuid `id`. Ids the clients generate (logs, slots, activities,
-- screenshots) are unique per organization, so one organization can never
-- collide with, or learn about, another's ids.

CREATE TABLE orgs (
    seq                    INTEGER PRIMARY KEY AUTOINCREMENT,
    id                     TEXT    NOT NULL UNIQUE,
    name                   TEXT    NOT NULL UNIQUE,
    all_projects_available INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    org_id        TEXT    NOT NULL REFERENCES orgs (id),
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    supervisor_id TEXT    REFERENCES users (id),
    timezone      TEXT    NOT NULL,
    -- Target of the (org_id, employee_id) foreign keys below: an employee
    -- row can only point at a user of the same organization.
    UNIQUE (org_id, id)
);
CREATE INDEX users_org_seq ON users (org_id, seq);

CREATE TABLE projects (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    id     TEXT    NOT NULL UNIQUE,
    org_id TEXT    NOT NULL REFERENCES orgs (id),
    name   TEXT    NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE project_assignments (
    user_id    TEXT NOT NULL REFERENCES users (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    PRIMARY KEY (user_id, project_id)
) WITHOUT ROWID;

CREATE TABLE time_logs (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL,
    org_id         TEXT    NOT NULL,
    employee_id    TEXT    NOT NULL,
    -- No foreign key: the server checks the project belongs to the
    -- organization; tasks have no table yet.
    project_id     TEXT,
    task_id        TEXT,
    started_at     INTEGER NOT NULL,
    stopped_at     INTEGER,
    log_type       TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    is_billable    INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    stopped_reason TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    -- Soft delete: a replayed create finds the row and stays a no-op.
    deleted_at     INTEGER,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, employee_id) REFERENCES users (org_id, id)
);
-- Per-employee ranges and the overlap check.
CREATE INDEX time_logs_employee_start ON time_logs (org_id, employee_id, started_at);
-- Whole-organization ranges.
CREATE INDEX time_logs_org_start ON time_logs (org_id, started_at);
-- At most one running timer per employee, and a cheap way to find it.
CREATE UNIQUE INDEX time_logs_running ON time_logs (org_id, employee_id)
    WHERE stopped_at IS NULL AND deleted_at IS NULL;

CREATE TABLE timesheets (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    org_id       TEXT    NOT NULL,
    employee_id  TEXT    NOT NULL,
    start_date   TEXT    NOT NULL,
    end_date     TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    submitted_at INTEGER,
    approved_at  INTEGER,
    approved_by  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- One sheet per employee and week, however many callers race.
    UNIQUE (employee_id, start_date),
    FOREIGN KEY (org_id, employee_id) REFERENCES users (org_id, id)
);
CREATE INDEX timesheets_org_start ON timesheets (org_id, start_date);

CREATE TABLE time_slots (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    employee_id TEXT    NOT NULL,
    project_id  TEXT,
    started_at  INTEGER NOT NULL,
    duration    INTEGER NOT NULL,
    keyboard    INTEGER NOT NULL,
    mouse       INTEGER NOT NULL,
    overall     INTEGER NOT NULL,
    UNIQUE (org_id, id),
    -- Parts from several devices merge into one row per ten minutes.
    UNIQUE (employee_id, started_at),
    FOREIGN KEY (org_id, employee_id) REFERENCES users (org_id, id)
);
CREATE INDEX time_slots_org_start ON time_slots (org_id, started_at);

-- Every part merged into a slot, so that replaying a part changes nothing.
CREATE TABLE time_slot_parts (
    org_id   TEXT    NOT NULL,
    part_id  TEXT    NOT NULL,
    slot_seq INTEGER NOT NULL REFERENCES time_slots (seq) ON DELETE CASCADE,
    PRIMARY KEY (org_id, part_id)
) WITHOUT ROWID;
CREATE INDEX time_slot_parts_slot ON time_slot_parts (slot_seq);

-- The logs a slot belongs to (a set; rowid keeps the order they came in).
CREATE TABLE time_slot_logs (
    slot_seq    INTEGER NOT NULL REFERENCES time_slots (seq) ON DELETE CASCADE,
    time_log_id TEXT    NOT NULL,
    UNIQUE (slot_seq, time_log_id)
);

CREATE TABLE activities (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL,
    org_id       TEXT    NOT NULL,
    employee_id  TEXT    NOT NULL,
    time_slot_id TEXT,
    project_id   TEXT,
    title        TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    recorded_at  INTEGER NOT NULL,
    duration     INTEGER NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, employee_id) REFERENCES users (org_id, id)
);
CREATE INDEX activities_org_recorded ON activities (org_id, recorded_at);
CREATE INDEX activities_org_slot ON activities (org_id, time_slot_id);

CREATE TABLE screenshots (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL,
    org_id       TEXT    NOT NULL,
    employee_id  TEXT    NOT NULL,
    time_slot_id TEXT,
    recorded_at  INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    file_key     TEXT    NOT NULL,
    thumb_key    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, employee_id) REFERENCES users (org_id, id)
);
CREATE INDEX screenshots_org_recorded ON screenshots (org_id, recorded_at);

CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    refresh_hash TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
