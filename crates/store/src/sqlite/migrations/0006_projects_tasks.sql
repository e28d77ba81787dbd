-- Issue 19: projects and tasks made from the clients.
--
-- Employees may create projects and tasks when their organization lets them
-- (off by default; the embedded one-person organization turns it on).
ALTER TABLE orgs ADD COLUMN members_create_projects INTEGER NOT NULL DEFAULT 0;

-- Projects are archived, never deleted: history and reports keep them,
-- pickers hide them and they take no new time. NULL: not archived.
ALTER TABLE projects ADD COLUMN archived_at INTEGER;

-- Target of the (org_id, project_id) foreign key below: a task can only be
-- in a project of its own organization.
CREATE UNIQUE INDEX projects_org_id ON projects (org_id, id);

-- Task ids may be chosen by clients (made offline, synced later), so like
-- other client ids they are claimed in client_ids before they are written.
CREATE TABLE tasks (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    org_id     TEXT    NOT NULL,
    project_id TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    estimate   INTEGER CHECK (estimate >= 0),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX tasks_org_project ON tasks (org_id, project_id, seq);

-- Who a task is assigned to: people of the task's organization only.
CREATE TABLE task_assignees (
    org_id  TEXT NOT NULL,
    task_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (task_id, user_id),
    FOREIGN KEY (org_id, task_id) REFERENCES tasks (org_id, id),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
) WITHOUT ROWID;
CREATE INDEX task_assignees_user ON task_assignees (user_id);
