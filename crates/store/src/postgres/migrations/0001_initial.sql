-- Stint on PostgreSQL: the first schema.
--
-- Instants are BIGINT milliseconds since the Unix epoch, exactly as in the
-- SQLite backend, so both backends round and compare times the same way.
-- Objects have a UUID (client-generatable, the Gauzy id) and an integer
-- `seq` from an identity column (the IceHrm id where the model has one).
-- Ids that clients generate (logs, slots, slot parts, activities,
-- screenshots) are unique per organization, so one organization can never
-- collide with, or learn about, another's ids.

CREATE TABLE orgs (
    seq                    BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id                     UUID PRIMARY KEY,
    name                   TEXT NOT NULL CONSTRAINT orgs_name_key UNIQUE,
    all_projects_available BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE users (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES orgs (id),
    -- The sign-in name across the whole server; callers normalise it
    -- (stint_model::normalize_email) before it gets here.
    email         TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    supervisor_id UUID,
    timezone      TEXT NOT NULL,
    -- Target of the composite foreign key below: a supervisor must be in the
    -- same organization.
    CONSTRAINT users_org_id_key UNIQUE (org_id, id),
    CONSTRAINT users_supervisor_fkey FOREIGN KEY (org_id, supervisor_id)
        REFERENCES users (org_id, id)
);

CREATE TABLE projects (
    seq    BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id     UUID PRIMARY KEY,
    org_id UUID NOT NULL REFERENCES orgs (id),
    name   TEXT NOT NULL,
    CONSTRAINT projects_org_name_key UNIQUE (org_id, name)
);

CREATE TABLE project_assignments (
    project_id UUID NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_assignments_user_idx ON project_assignments (user_id);

-- Time logs are soft-deleted (`deleted_at`) so that a replayed create from an
-- offline client cannot bring a deleted log back. No foreign keys to
-- projects or tasks: the agent may sync a log before the server knows them.
CREATE TABLE time_logs (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             UUID NOT NULL,
    org_id         UUID NOT NULL,
    employee_id    UUID NOT NULL,
    project_id     UUID,
    task_id        UUID,
    started_at     BIGINT NOT NULL,
    stopped_at     BIGINT,
    log_type       TEXT NOT NULL,
    source         TEXT NOT NULL,
    description    TEXT NOT NULL,
    is_billable    BOOLEAN NOT NULL,
    version        BIGINT NOT NULL,
    stopped_reason TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    deleted_at     BIGINT,
    CONSTRAINT time_logs_org_id_key UNIQUE (org_id, id),
    -- The employee must belong to the row's organization.
    CONSTRAINT time_logs_employee_fkey FOREIGN KEY (org_id, employee_id)
        REFERENCES users (org_id, id)
);
CREATE INDEX time_logs_org_started_idx ON time_logs (org_id, started_at);
CREATE INDEX time_logs_employee_started_idx ON time_logs (employee_id, started_at);
-- The running timers: small, and a backstop for "one running log per
-- employee" (the overlap check already refuses a second one).
CREATE UNIQUE INDEX time_logs_running_idx ON time_logs (employee_id)
    WHERE stopped_at IS NULL AND deleted_at IS NULL;

CREATE TABLE timesheets (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id           UUID PRIMARY KEY,
    org_id       UUID NOT NULL,
    employee_id  UUID NOT NULL,
    start_date   DATE NOT NULL,
    end_date     DATE NOT NULL,
    status       TEXT NOT NULL,
    submitted_at BIGINT,
    approved_at  BIGINT,
    approved_by  UUID,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT timesheets_employee_week_key UNIQUE (employee_id, start_date),
    -- The employee must belong to the row's organization.
    CONSTRAINT timesheets_employee_fkey FOREIGN KEY (org_id, employee_id)
        REFERENCES users (org_id, id)
);
CREATE INDEX timesheets_org_start_idx ON timesheets (org_id, start_date);

-- One row per employee and ten-minute slot; the parts that made it are kept
-- in `slot_parts` so that a replayed part is recognised and ignored.
CREATE TABLE time_slots (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL,
    org_id       UUID NOT NULL,
    employee_id  UUID NOT NULL,
    project_id   UUID,
    started_at   BIGINT NOT NULL,
    duration     BIGINT NOT NULL,
    keyboard     BIGINT NOT NULL,
    mouse        BIGINT NOT NULL,
    overall      BIGINT NOT NULL,
    time_log_ids UUID[] NOT NULL DEFAULT '{}',
    CONSTRAINT time_slots_org_id_key UNIQUE (org_id, id),
    CONSTRAINT time_slots_employee_start_key UNIQUE (employee_id, started_at),
    -- The employee must belong to the row's organization.
    CONSTRAINT time_slots_employee_fkey FOREIGN KEY (org_id, employee_id)
        REFERENCES users (org_id, id)
);
CREATE INDEX time_slots_org_start_idx ON time_slots (org_id, started_at);

CREATE TABLE slot_parts (
    org_id   UUID NOT NULL,
    id       UUID NOT NULL,
    slot_seq BIGINT NOT NULL REFERENCES time_slots (seq) ON DELETE CASCADE,
    duration BIGINT NOT NULL,
    keyboard BIGINT NOT NULL,
    mouse    BIGINT NOT NULL,
    overall  BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX slot_parts_slot_idx ON slot_parts (slot_seq);

-- No foreign key to time_slots: an activity names the slot id its client
-- generated, which may differ from the stored slot's when two devices
-- reported the same ten minutes. Slot deletion removes them explicitly.
CREATE TABLE activities (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL,
    org_id       UUID NOT NULL,
    employee_id  UUID NOT NULL,
    time_slot_id UUID,
    project_id   UUID,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    duration     BIGINT NOT NULL,
    CONSTRAINT activities_org_id_key UNIQUE (org_id, id),
    -- The employee must belong to the row's organization.
    CONSTRAINT activities_employee_fkey FOREIGN KEY (org_id, employee_id)
        REFERENCES users (org_id, id)
);
CREATE INDEX activities_org_recorded_idx ON activities (org_id, recorded_at);
CREATE INDEX activities_employee_recorded_idx ON activities (employee_id, recorded_at);
CREATE INDEX activities_slot_idx ON activities (org_id, time_slot_id);

-- Screenshot rows outlive their slot: the blobs they name must be deleted
-- by the server, which needs the keys.
CREATE TABLE screenshots (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           UUID NOT NULL,
    org_id       UUID NOT NULL,
    employee_id  UUID NOT NULL,
    time_slot_id UUID,
    recorded_at  BIGINT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    file_key     TEXT NOT NULL,
    thumb_key    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    CONSTRAINT screenshots_org_id_key UNIQUE (org_id, id),
    -- The employee must belong to the row's organization.
    CONSTRAINT screenshots_employee_fkey FOREIGN KEY (org_id, employee_id)
        REFERENCES users (org_id, id)
);
CREATE INDEX screenshots_org_recorded_idx ON screenshots (org_id, recorded_at);
CREATE INDEX screenshots_employee_recorded_idx ON screenshots (employee_id, recorded_at);

CREATE TABLE sessions (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_hash TEXT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Server-wide values replicas must agree on (e.g. the JWT signing secret).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
