-- A client id belongs to the employee who first used it, forever: also
-- after the object it named is deleted (a deleted log stays as a row, but a
-- deleted slot or screenshot does not). One row per (organization, kind,
-- id) records that owner; the service claims ids here before it writes, so
-- a colleague who replays someone else's id gets a 409, never their object.
CREATE TABLE client_ids (
    org_id   UUID NOT NULL,
    kind     TEXT NOT NULL,
    id       UUID NOT NULL,
    owner_id UUID NOT NULL,
    PRIMARY KEY (org_id, kind, id)
);

-- What existing installs have already handed out.
INSERT INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'log', id, employee_id FROM time_logs
    ON CONFLICT DO NOTHING;
INSERT INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'slot', id, employee_id FROM time_slots
    ON CONFLICT DO NOTHING;
INSERT INTO client_ids (org_id, kind, id, owner_id)
    SELECT p.org_id, 'slot', p.id, s.employee_id
    FROM slot_parts p JOIN time_slots s ON s.seq = p.slot_seq
    ON CONFLICT DO NOTHING;
INSERT INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'activity', id, employee_id FROM activities
    ON CONFLICT DO NOTHING;
INSERT INTO client_ids (org_id, kind, id, owner_id)
    SELECT org_id, 'screenshot', id, employee_id FROM screenshots
    ON CONFLICT DO NOTHING;
