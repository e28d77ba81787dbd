-- A client id belongs to the employee who first used it, forever: also
-- after the object it named is deleted (a deleted log stays as a row, but a
-- deleted slot or screenshot does not). One row per (organization, kind,
-- id) records that owner; the service claims ids here before it writes, so
-- a colleague who replays someone else's id gets a 409, never their object.
CREATE TABLE client_ids (
    org_id   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    PRIMARY KEY (org_id, kind, id)
) WITHOUT ROWID;

-- What existing installs have already handed out.
INSERT OR IGNORE INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'log', id, employee_id FROM time_logs;
INSERT OR IGNORE INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'slot', id, employee_id FROM time_slots;
INSERT OR IGNORE INTO client_ids (org_id, kind, id, owner_id)
    SELECT p.org_id, 'slot', p.part_id, s.employee_id
    FROM time_slot_parts p JOIN time_slots s ON s.seq = p.slot_seq;
INSERT OR IGNORE INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'activity', id, employee_id FROM activities;
INSERT OR IGNORE INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'screenshot', id, employee_id FROM screenshots;
