-- Issue 19: projects and tasks made from the clients.
--
-- Employees may create projects and tasks when their organization lets them
-- (off by default; the embedded one-person organization turns it on).
ALTER TABLE orgs ADD COLUMN members_create_projects BOOLEAN NOT NULL DEFAULT FALSE;

-- Projects are archived, never deleted: history and reports keep them,
-- pickers hide them and they take no new time. NULL: not archived.
ALTER TABLE projects ADD COLUMN archived_at BIGINT;

-- Target of the (org_id, project_id) foreign key below: a task can only be
-- in a project of its own organization.
ALTER TABLE projects ADD CONSTRAINT projects_org_id_key UNIQUE (org_id, id);

-- Task ids may be chosen by clients (made offline, synced later), so like
-- other client ids they are claimed in client_ids before they are written.
CREATE TABLE tasks (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id         UUID PRIMARY KEY,
    org_id     UUID NOT NULL,
    project_id UUID NOT NULL,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL,
    estimate   BIGINT CHECK (estimate >= 0),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT tasks_org_id_key UNIQUE (org_id, id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX tasks_org_project_idx ON tasks (org_id, project_id, seq);

-- Who a task is assigned to: people of the task's organization only.
CREATE TABLE task_assignees (
    org_id  UUID NOT NULL,
    task_id UUID NOT NULL,
    user_id UUID NOT NULL,
    PRIMARY KEY (task_id, user_id),
    FOREIGN KEY (org_id, task_id) REFERENCES tasks (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX task_assignees_user_idx ON task_assignees (user_id);
