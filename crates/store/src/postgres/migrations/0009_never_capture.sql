-- Issue 18: the organization's never-capture list (stint_model::private_apps
-- syntax), empty by default, so databases upgraded in place capture as before.
ALTER TABLE orgs ADD COLUMN never_capture TEXT NOT NULL DEFAULT '';
