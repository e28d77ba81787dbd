-- The agent's local outbox: everything tracked waits here until the server
-- acknowledges it. A log is pending while version > synced_version.
CREATE TABLE IF NOT EXISTS logs (
    id              TEXT PRIMARY KEY,
    project_id      TEXT,
    task_id         TEXT,
    description     TEXT NOT NULL DEFAULT '',
    log_type        TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    stopped_at      INTEGER,
    deleted         INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    synced_version  INTEGER NOT NULL DEFAULT 0,
    failed_version  INTEGER,
    failed_message  TEXT,
    stopped_reason  TEXT
);
CREATE INDEX IF NOT EXISTS logs_started ON logs (started_at);
CREATE INDEX IF NOT EXISTS logs_stopped ON logs (stopped_at);
CREATE TABLE IF NOT EXISTS kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS slots (
    id              TEXT PRIMARY KEY,
    started_at      INTEGER NOT NULL,
    report          TEXT NOT NULL,
    synced          INTEGER NOT NULL DEFAULT 0,
    failed_message  TEXT
);
CREATE TABLE IF NOT EXISTS shots (
    id              TEXT PRIMARY KEY,
    recorded_at     INTEGER NOT NULL,
    monitor         TEXT NOT NULL,
    file            TEXT NOT NULL,
    thumb           TEXT NOT NULL,
    synced          INTEGER NOT NULL DEFAULT 0,
    failed_message  TEXT
);
-- Projects created on this computer that the server has not confirmed yet:
-- the id is the client id the server will keep, so time can be tracked on
-- the project before it exists there.
CREATE TABLE IF NOT EXISTS new_projects (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    failed_message  TEXT
);
